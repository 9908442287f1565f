using Microsoft.Extensions.DependencyInjection;
using Portal.Asterisk.Nodes;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.Nodes;

namespace Portal.IntegrationTests.Nodes;

[Collection(ClusterCollection.Name)]
public sealed class NodeFreshnessTests
{
    [Fact]
    public async Task A_context_added_after_the_download_makes_the_nodes_extensions_conf_out_of_date()
    {
        var commands = NodeServices.Commands();
        var id = await commands.SaveAsync(NodeServices.Operator, null, new NodeForm { Name = NodeServices.UniqueName("fresh-"), ReplicaHost = "10.0.0.9" }, CancellationToken.None);
        var context = NodeServices.UniqueName("nctx-");
        try
        {
            Assert.False((await commands.GetAsync(NodeServices.Operator, id, CancellationToken.None))!.Freshness.Downloaded);
            await commands.RecordDownloadAsync(NodeServices.Operator, id, await commands.ContextsAsync(CancellationToken.None), CancellationToken.None);
            var downloaded = (await commands.GetAsync(NodeServices.Operator, id, CancellationToken.None))!;
            Assert.True(downloaded.Freshness.Downloaded);
            Assert.False(downloaded.Freshness.OutOfDate);
            Assert.Equal(NodeServices.Operator.UserName, downloaded.DownloadedBy);

            await WriteExtensionAsync(context, add: true);

            var after = (await commands.GetAsync(NodeServices.Operator, id, CancellationToken.None))!;
            Assert.True(after.Freshness.OutOfDate);
            Assert.Equal([context], after.Freshness.Added);
            Assert.Empty(after.Freshness.Removed);
            var spec = await commands.SpecAsync(NodeServices.Operator, id, null, CancellationToken.None);
            Assert.Contains($"[{context}]\nswitch => Realtime/@\n", AsteriskFiles.ExtensionsConf(spec));
        }
        finally
        {
            await WriteExtensionAsync(context, add: false);
            await commands.DeleteAsync(NodeServices.Operator, id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Node_config_writes_every_file_with_the_passwords_from_the_environment_and_records_the_download()
    {
        var commands = NodeServices.Commands();
        var name = NodeServices.UniqueName("cli-");
        var id = await commands.SaveAsync(NodeServices.Operator, null, new NodeForm { Name = name, ReplicaHost = "10.0.0.8" }, CancellationToken.None);
        var directory = Path.Combine(TestCluster.Repo, ".local", name);
        Environment.SetEnvironmentVariable("PORTAL_NODE_REPL_PASSWORD", "from-env-repl");
        try
        {
            using var services = new ServiceCollection().AddSingleton(commands).BuildServiceProvider();

            var exit = await NodeCommandLine.RunAsync(services, ["node-config", name, "--out", directory], CancellationToken.None);

            Assert.Equal(0, exit);
            var spec = await commands.SpecAsync(NodeServices.Operator, id, null, CancellationToken.None);
            Assert.Equal(NodeFiles.All(spec).Select(f => f.Name).Order(), Directory.GetFiles(directory).Select(Path.GetFileName).Order()!);
            var attach = await File.ReadAllTextAsync(Path.Combine(directory, ReplicaFiles.AttachFileName));
            Assert.Contains("MASTER_PASSWORD = 'from-env-repl'", attach);
            Assert.Contains(NodeCredentials.AsteriskPasswordPlaceholder, attach);
            Assert.True((await commands.GetAsync(NodeServices.Operator, id, CancellationToken.None))!.Freshness.Downloaded);
            Assert.Equal(1, await NodeCommandLine.RunAsync(services, ["node-config", name + "-missing"], CancellationToken.None));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PORTAL_NODE_REPL_PASSWORD", null);
            Directory.Delete(directory, recursive: true);
            await commands.DeleteAsync(NodeServices.Operator, id, CancellationToken.None);
        }
    }

    private static Task WriteExtensionAsync(string context, bool add) =>
        TestCluster.Writer().WriteAsync(NodeServices.Operator, add ? "create extension" : "delete extension", async (scope, ct) =>
        {
            if (add)
            {
                scope.Db.Extensions.Add(new Extension { Context = context, Exten = "s", Priority = 1, App = "NoOp", Appdata = "node test" });
            }
            else
            {
                scope.Db.Extensions.RemoveRange(scope.Db.Extensions.Where(e => e.Context == context));
            }
            await Task.CompletedTask;
        }, CancellationToken.None);
}
