using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;
using Portal.Web.Features.Replication;

namespace Portal.IntegrationTests;

/// <summary>
/// The throwaway cluster scripts/test starts (master on PORTAL_TEST_CLUSTER_PORT, replicas on +1 and +2), and the
/// ways tests reach it: the portal's accounts, the monitor account on the replicas, and root through scripts/cluster.
/// </summary>
public static class TestCluster
{
    public static string Repo { get; } = FindRepo();

    public static int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("PORTAL_TEST_CLUSTER_PORT") ?? "23306");

    public static string Dir { get; } = Environment.GetEnvironmentVariable("PORTAL_TEST_CLUSTER_DIR") ?? Path.Combine(Repo, ".local", "test-cluster");

    public static readonly string[] Replicas = ["replica1", "replica2"];

    public static DatabaseOptions Database(string asteriskDatabase = "asteriskdb", string portalDatabase = "portal") => new()
    {
        Master = $"Server=127.0.0.1;Port={Port};User ID=portal;Password=portal-dev;Database={asteriskDatabase}",
        Migrator = $"Server=127.0.0.1;Port={Port};User ID=migrator;Password=migrator-dev",
        AsteriskDatabase = asteriskDatabase,
        PortalDatabase = portalDatabase,
    };

    public static ReplicationOptions Replication() => new()
    {
        MonitorUser = "monitor",
        MonitorPassword = "monitor-dev",
        Replicas = Replicas.Select((name, i) => new ReplicaEndpoint { Name = name, Host = "127.0.0.1", Port = Port + i + 1 }).ToList(),
    };

    /// <summary>The monitor account on a replica: the only way the portal ever opens a replica.</summary>
    public static string ReplicaConnectionString(string replica) =>
        $"Server=127.0.0.1;Port={Port + (replica == "replica1" ? 1 : 2)};User ID=monitor;Password=monitor-dev;Database=asteriskdb";

    public static MasterWriter Writer(DatabaseOptions? database = null) =>
        new(Options.Create(database ?? Database()), new MasterState(TimeProvider.System), NullLogger<MasterWriter>.Instance);

    public static Migrator Migrator(DatabaseOptions? database = null)
    {
        var options = Options.Create(database ?? Database());
        return new Migrator(options, new SchemaCheck(options, RealtimeSchema.FromMigration()), NullLogger<Migrator>.Instance);
    }

    /// <summary>root on a node over its Unix socket (unix_socket authentication): for fault injection without a process per statement.</summary>
    public static string RootConnectionString(string node) => $"Server={Path.Combine(Dir, node, "mariadbd.sock")};Protocol=Unix;User ID=root";

    /// <summary>Waits with MASTER_GTID_WAIT until a replica has applied the GTID; false on timeout.</summary>
    public static async Task<bool> WaitForGtidAsync(string replica, string gtid, double timeoutSeconds = 10)
    {
        await using var connection = new MySqlConnection(ReplicaConnectionString(replica));
        await connection.OpenAsync();
        await using var command = new MySqlCommand("SELECT MASTER_GTID_WAIT(@gtid, @timeout)", connection);
        command.Parameters.AddWithValue("@gtid", gtid);
        command.Parameters.AddWithValue("@timeout", timeoutSeconds);
        return Convert.ToInt32(await command.ExecuteScalarAsync()) == 0;
    }

    public static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Runs SQL as root on a node through scripts/cluster; returns the tab-separated output without headers.</summary>
    public static async Task<string> RootSqlAsync(string node, string sql)
    {
        var output = await ClusterAsync("sql", node, "-N", "-B", "-e", sql);
        return output.Trim();
    }

    /// <summary>Runs scripts/cluster with the test cluster's settings (start, stop, kill a node...).</summary>
    public static async Task<string> ClusterAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(Repo, "scripts", "cluster")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["CLUSTER_DIR"] = Dir;
        start.Environment["CLUSTER_PORT"] = Port.ToString();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/cluster {string.Join(' ', args)} failed: {await stderr}");
        }
        return await stdout;
    }

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Migrates the test cluster once; every integration test class joins this collection, so they run one at a time.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await TestCluster.Migrator().MigrateAsync(CancellationToken.None);
        await TestCluster.ClusterAsync("grants");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
