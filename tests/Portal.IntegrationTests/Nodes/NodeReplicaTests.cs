using MySqlConnector;
using Portal.Asterisk.Nodes;
using Portal.Web.Features.Nodes;
using Portal.Web.Features.Pins;

namespace Portal.IntegrationTests.Nodes;

[Collection(ClusterCollection.Name)]
public sealed class NodeReplicaTests
{
    private static readonly NodeCredentials Cluster = new("repl", "repl-dev", "asterisk", "asterisk-dev", "monitor", "monitor-dev");

    // No database: right after the attach statements the replica may not have replayed CREATE DATABASE yet.
    private static string MonitorOn(int port) => $"Server=127.0.0.1;Port={port};User ID=monitor;Password=monitor-dev;Pooling=false";

    [Fact]
    public async Task A_fresh_replica_attached_with_only_the_generated_files_receives_the_masters_writes()
    {
        var commands = NodeServices.Commands();
        var name = NodeServices.UniqueName("it-");
        var id = await commands.SaveAsync(NodeServices.Operator, null, new NodeForm { Name = name, ReplicaHost = "127.0.0.1", ReplicaPort = FreshReplica.Port }, CancellationToken.None);
        try
        {
            var spec = await commands.SpecAsync(NodeServices.Operator, id, Cluster, CancellationToken.None);
            var files = NodeFiles.All(spec);

            await using var replica = await FreshReplica.StartAsync(files.Single(f => f.Name == ReplicaFiles.SettingsFileName).Text);
            await replica.RootSqlAsync(files.Single(f => f.Name == ReplicaFiles.AttachFileName).Text);

            var code = "node-" + Random.Shared.Next(100000, 999999);
            var result = await TestCluster.Writer().WriteAsync(NodeServices.Operator, "create pin", (scope, _) =>
            {
                scope.Db.Pins.Add(new Pin { Company = "node-test", Code = code });
                return Task.CompletedTask;
            }, CancellationToken.None);

            // The monitor account exists on the new replica only because the attach statements made it.
            // No command timeout of the driver's own: MASTER_GTID_WAIT below bounds the wait.
            await using var monitor = new MySqlConnection(MonitorOn(FreshReplica.Port) + ";Default Command Timeout=0");
            await monitor.OpenAsync();
            // A fresh replica applies the master's whole binlog first (every earlier test's rows): minutes on a busy machine.
            Assert.Equal(0L, Convert.ToInt64(await Scalar(monitor, $"SELECT MASTER_GTID_WAIT('{result.Gtid}', 300)")));
            Assert.Equal(1L, await Scalar(monitor, $"SELECT COUNT(*) FROM asteriskdb.pins WHERE pin = '{code}'"));
            // The same commit wrote the portal's audit row; the node gets the realtime database only.
            Assert.Equal(0L, await Scalar(monitor, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'portal'"));

            var checks = await NodeServices.Checks().RunAsync(spec, CancellationToken.None);
            Assert.All(checks, c => Assert.True(c.State == CheckState.Passed, $"{c.What}: {c.Detail}"));
            Assert.Equal(["Replica reachable with the monitor account", "server-id", "read_only", "Attached to the master", "Lag", "Realtime tables"], checks.Select(c => c.What));

            // Asterisk's account reads the replica over 127.0.0.1; nothing but replication writes there.
            await using var asterisk = new MySqlConnection($"Server=127.0.0.1;Port={FreshReplica.Port};User ID=asterisk;Password=asterisk-dev;Database=asteriskdb;Pooling=false");
            await asterisk.OpenAsync();
            Assert.Equal(1L, await Scalar(asterisk, $"SELECT COUNT(*) FROM pins WHERE pin = '{code}'"));
            await Assert.ThrowsAsync<MySqlException>(() => Scalar(asterisk, $"UPDATE pins SET active = 'no' WHERE pin = '{code}'"));
        }
        finally
        {
            await commands.DeleteAsync(NodeServices.Operator, id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Checks_read_a_running_replica_by_column_name()
    {
        // replica1 of the test cluster: server-id 2, attached to the master, read-only, with the realtime tables.
        var spec = new NodeSpec("replica1", 2, "127.0.0.1", TestCluster.Port + 1, "127.0.0.1", TestCluster.Port, "asteriskdb", AsteriskFamily.Default,
            ReplicaServer.MariaDb, [], Cluster);

        var checks = await NodeServices.Checks().RunAsync(spec, CancellationToken.None);

        Assert.All(checks, c => Assert.True(c.State == CheckState.Passed, $"{c.What}: {c.Detail}"));
        Assert.Contains(checks, c => c.What == "Attached to the master" && c.Detail.Contains($"127.0.0.1:{TestCluster.Port}"));
    }

    [Fact]
    public async Task Checks_name_a_server_id_that_differs_from_the_generated_one()
    {
        var spec = new NodeSpec("replica1", 4242, "127.0.0.1", TestCluster.Port + 1, "127.0.0.1", TestCluster.Port, "asteriskdb", AsteriskFamily.Default,
            ReplicaServer.MariaDb, [], Cluster);

        var checks = await NodeServices.Checks().RunAsync(spec, CancellationToken.None);

        Assert.Contains(checks, c => c.What == "server-id" && c.State == CheckState.Failed && c.Detail.StartsWith("2, but the files give 4242"));
    }

    [Fact]
    public async Task Checks_report_an_unreachable_replica_instead_of_failing()
    {
        var spec = new NodeSpec("gone", 4243, "127.0.0.1", 1, "127.0.0.1", TestCluster.Port, "asteriskdb", AsteriskFamily.Default, ReplicaServer.MariaDb, [], Cluster);

        var checks = await NodeServices.Checks().RunAsync(spec, CancellationToken.None);

        var check = Assert.Single(checks);
        Assert.Equal(CheckState.Failed, check.State);
        Assert.Contains("127.0.0.1:1", check.Detail);
    }

    private static async Task<object?> Scalar(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
