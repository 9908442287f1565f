using System.Diagnostics;

namespace Portal.IntegrationTests.Nodes;

/// <summary>
/// A brand-new MariaDB server for a test, as an operator would start one on a new node: a fresh datadir from
/// mariadb-install-db, and a my.cnf that is the generated settings plus nothing but the node-local paths and port.
/// Killed and removed on dispose.
/// </summary>
public sealed class FreshReplica : IAsyncDisposable
{
    private readonly Process server;

    private FreshReplica(string directory, Process server)
    {
        Directory = directory;
        this.server = server;
    }

    /// <summary>Beside the test cluster's three ports (master, replica1, replica2, and one spare).</summary>
    public static int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("PORTAL_TEST_NODE_REPLICA_PORT") ?? (TestCluster.Port + 4).ToString());

    public string Directory { get; }

    private string Socket => Path.Combine(Directory, "mariadbd.sock");

    public static async Task<FreshReplica> StartAsync(string generatedSettings)
    {
        var directory = Path.Combine(TestCluster.Repo, ".local", "node-it-" + Guid.NewGuid().ToString("N")[..8]);
        // Its own tmpdir: bootstraps of other test runs on the machine share /tmp, and one has lost a temporary table there.
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        // --no-defaults first, or Debian's /etc/mysql settings leak in; further options go to the bootstrapping server.
        try
        {
            await RunAsync("mariadb-install-db", null, "--no-defaults", "--user=root", $"--datadir={directory}/data", "--auth-root-authentication-method=socket", "--skip-test-db", $"--tmpdir={directory}/tmp");
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
        var cnf = Path.Combine(directory, "my.cnf");
        await File.WriteAllTextAsync(cnf, generatedSettings +
            "# Node-local paths and address, added by the test.\n" +
            $"datadir = {directory}/data\nsocket = {directory}/mariadbd.sock\npid-file = {directory}/mariadbd.pid\n" +
            $"tmpdir = {directory}/tmp\nlog-error = {directory}/error.log\nport = {Port}\nbind-address = 127.0.0.1\nuser = root\n");
        var start = new ProcessStartInfo(File.Exists("/usr/sbin/mariadbd") ? "/usr/sbin/mariadbd" : "mariadbd") { UseShellExecute = false };
        start.ArgumentList.Add($"--defaults-file={cnf}");
        var replica = new FreshReplica(directory, Process.Start(start)!);
        try
        {
            await replica.WaitUntilUpAsync();
            return replica;
        }
        catch
        {
            // Nothing must outlive a failed start: a server left running would hold the port for every later run.
            await replica.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilUpAsync()
    {
        for (var i = 0; ; i++)
        {
            try
            {
                await RootSqlAsync("SELECT 1");
                return;
            }
            catch (InvalidOperationException) when (i < 150 && !server.HasExited)
            {
                await Task.Delay(200);
            }
            catch (InvalidOperationException e)
            {
                var log = Path.Combine(Directory, "error.log");
                throw new InvalidOperationException($"{e.Message}\n{(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}", e);
            }
        }
    }

    /// <summary>Runs SQL as root over the socket, as the operator runs <c>mariadb -uroot &lt; attach-replica.sql</c>.</summary>
    public Task<string> RootSqlAsync(string sql) => RunAsync("mariadb", sql, "--no-defaults", $"--socket={Socket}", "-uroot", "-N", "-B");

    public async ValueTask DisposeAsync()
    {
        if (!server.HasExited)
        {
            server.Kill();
            await server.WaitForExitAsync();
        }
        server.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static async Task<string> RunAsync(string program, string? input, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.StandardInput.WriteAsync(input ?? "");
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The client gave up (no server yet) before reading its input: its exit code says so below.
        }
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {await stderr}");
        }
        return await stdout;
    }
}
