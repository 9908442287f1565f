using System.Diagnostics;
using System.Text;
using Portal.IntegrationTests;

namespace Portal.NodeTests;

/// <summary>
/// The two real Asterisk 11 nodes scripts/nodes runs beside the test cluster (node1 reads replica1, node2 reads
/// replica2, both write the master), with the settings scripts/test gives it: NODES_DIR, NODES_SIP_PORT, ASTERISK_HOME.
/// </summary>
public static class TestNodes
{
    public static readonly string[] Names = ["node1", "node2"];

    /// <summary>How long a node may take to run what a test asked of it; the calls themselves take about a second.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly SemaphoreSlim Refreshing = new(1, 1);

    public static string Dir { get; } = Environment.GetEnvironmentVariable("NODES_DIR") ?? Path.Combine(TestCluster.Repo, ".local", "test-nodes");

    private static string AsteriskHome { get; } = Environment.GetEnvironmentVariable("ASTERISK_HOME") ?? Path.Combine(TestCluster.Repo, ".local", "asterisk");

    private static int FirstSipPort { get; } = int.Parse(Environment.GetEnvironmentVariable("NODES_SIP_PORT") ?? "23360");

    public static int SipPort(string node) => FirstSipPort + Array.IndexOf(Names, node);

    public static string ReplicaOf(string node) => TestCluster.Replicas[Array.IndexOf(Names, node)];

    /// <summary>One CLI command on a node, as <c>asterisk -rx</c> runs it; throws when the node does not answer.</summary>
    public static async Task<string> RxAsync(string node, string command)
    {
        var start = new ProcessStartInfo(Path.Combine(AsteriskHome, "sbin", "asterisk")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-C", Path.Combine(Dir, node, "etc", "asterisk.conf"), "-rx", command })
        {
            start.ArgumentList.Add(arg);
        }
        return await RunAsync(start, $"asterisk -rx '{command}' on {node}");
    }

    /// <summary>
    /// The node files generated again and the dialplan reloaded on both nodes: a context added since the nodes started
    /// has no extensions.conf stanza, and is "not found" on them until then (what an operator does after adding one).
    /// </summary>
    public static async Task RefreshAsync()
    {
        await Refreshing.WaitAsync();
        try
        {
            var start = new ProcessStartInfo(Path.Combine(TestCluster.Repo, "scripts", "nodes")) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("refresh");
            start.Environment["CLUSTER_DIR"] = TestCluster.Dir;
            start.Environment["CLUSTER_PORT"] = TestCluster.Port.ToString();
            start.Environment["NODES_DIR"] = Dir;
            await RunAsync(start, "scripts/nodes refresh");
        }
        finally
        {
            Refreshing.Release();
        }
    }

    /// <summary>Kills a node's Asterisk by the pid in its pid file, as a crash would: no goodbye on its manager connections.</summary>
    public static void Kill(string node)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(Dir, node, "run", "asterisk.pid")).Trim());
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>scripts/nodes up: starts the nodes that are down (and reloads those that run).</summary>
    public static async Task UpAsync()
    {
        var start = new ProcessStartInfo(Path.Combine(TestCluster.Repo, "scripts", "nodes")) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("up");
        start.Environment["CLUSTER_DIR"] = TestCluster.Dir;
        start.Environment["CLUSTER_PORT"] = TestCluster.Port.ToString();
        start.Environment["NODES_DIR"] = Dir;
        await RunAsync(start, "scripts/nodes up");
    }

    /// <summary>
    /// Originates <c>Local/EXTEN@CONTEXT</c> on a node, its other half running <paramref name="then"/>, and returns the
    /// lines of the node's full log about the context once <paramref name="done"/> holds for them.
    /// </summary>
    /// <param name="then">What the originating half does: an application, or <c>extension X@CONTEXT</c>.</param>
    public static async Task<string> CallAsync(string node, string context, string exten, Func<string, bool> done, string then = "application Wait 1")
    {
        var log = Path.Combine(Dir, node, "log", "full");
        var from = new FileInfo(log).Length;
        await RxAsync(node, $"channel originate Local/{exten}@{context} {then}");
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var lines = await ReadFromAsync(log, from, $"@{context}");
            if (done(lines))
            {
                return lines;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"{node} did not finish the call to {exten}@{context} as expected within {Deadline.TotalSeconds}s. It logged:\n{lines}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, for what the nodes write to the master after a call.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Not within {Deadline.TotalSeconds}s: {what}");
            }
            await Task.Delay(200);
        }
    }

    private static async Task<string> ReadFromAsync(string path, long offset, string about)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        return string.Join('\n', text.Split('\n').Where(l => l.Contains(about, StringComparison.Ordinal)));
    }

    private static async Task<string> RunAsync(ProcessStartInfo start, string what)
    {
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
        return await stdout;
    }
}

/// <summary>
/// Migrates the test cluster, gives the asterisk account its grants, and checks both nodes answer: the node tests run
/// one at a time, since they share the nodes and their logs.
/// </summary>
public sealed class NodesFixture : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await TestCluster.Migrator().MigrateAsync(CancellationToken.None);
        await TestCluster.ClusterAsync("grants");
        foreach (var node in TestNodes.Names)
        {
            try
            {
                Assert.Contains("Asterisk 11.25.3", await TestNodes.RxAsync(node, "core show version"));
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                throw new InvalidOperationException($"Asterisk node {node} does not answer: start the nodes with scripts/nodes up (scripts/test does). {e.Message}", e);
            }
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class NodesCollection : ICollectionFixture<NodesFixture>
{
    public const string Name = "nodes";
}
