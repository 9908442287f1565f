using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Replication;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Replication;

[Collection(ClusterCollection.Name)]
public sealed class ReplicaRegistryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_replica_attached_to_the_master_is_found_and_remembered_with_its_server_id()
    {
        // Forget what earlier runs remembered, and configure only replica1: replica2 must come from SHOW SLAVE HOSTS.
        await TestCluster.RootSqlAsync("master", "DELETE FROM portal.replicas WHERE name = 'replica2'");
        await using var rig = await ReplicationRig.StartAsync(o =>
        {
            o.Replicas.RemoveAll(r => r.Name == "replica2");
            o.DiscoveryInterval = TimeSpan.FromMilliseconds(200);
        });

        await Eventually.TrueAsync(() => rig.Registry.All.Any(r => r.Endpoint.Name == "replica2"), "replica2 found through SHOW SLAVE HOSTS");

        var found = Assert.Single(rig.Registry.All, r => r.Endpoint.Name == "replica2");
        Assert.False(found.Configured);
        Assert.Equal(3, found.ServerId);
        // report_host and report_port, as the cluster sets them on each replica.
        Assert.Equal(("replica2", TestCluster.Port + 2), (found.Endpoint.Host, found.Endpoint.Port));
        Assert.Equal("replica2\t3\tdiscovered", await TestCluster.RootSqlAsync("master", "SELECT host, server_id, source FROM portal.replicas WHERE name = 'replica2'"));
        Assert.Equal(2, rig.Registry.All.Single(r => r.Endpoint.Name == "replica1").ServerId);
        Assert.NotNull(rig.Monitor.Find("replica2"));
    }

    [Fact]
    public async Task A_replica_that_leaves_the_master_stays_listed_with_an_alarm()
    {
        await using var rig = await ReplicationRig.StartAsync(o => o.DiscoveryInterval = TimeSpan.FromMilliseconds(200));
        try
        {
            await TestCluster.RootSqlAsync("replica1", "STOP SLAVE IO_THREAD");
            await rig.WaitForAsync("replica1", r => r.Alarm is not null);
            // The status (read every 500 ms) may say the IO thread stopped a moment after the master stops listing it.
            await rig.WaitForAsync("replica1", r => r.State == ReplicaState.Stopped);
            Assert.Contains("not attached to the master", rig.Monitor.Find("replica1")!.Alarm);
            Assert.Null(rig.Monitor.Find("replica2")!.Alarm);

            await TestCluster.RootSqlAsync("replica1", "START SLAVE IO_THREAD");
            await rig.WaitForAsync("replica1", r => r.Alarm is null && r.State == ReplicaState.Healthy);
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
        }
    }

    [Fact]
    public async Task An_operator_forgets_a_replica_that_is_gone_and_the_forgetting_is_audited()
    {
        await TestCluster.RootSqlAsync("master",
            "REPLACE INTO portal.replicas (name, host, port, server_id, source, first_seen) VALUES ('ghost', '127.0.0.1', 9, 99, 'discovered', UTC_TIMESTAMP(6))");
        try
        {
            await using var rig = await ReplicationRig.StartAsync(o => o.DiscoveryInterval = TimeSpan.FromMilliseconds(200));
            await rig.WaitForAsync("ghost", r => r.State == ReplicaState.Unreachable && r.Alarm is not null);

            await Assert.ThrowsAsync<AccessDeniedException>(() => rig.Commands.ForgetAsync(new Caller("admin@company-a.test", false, "company-a"), "ghost", CancellationToken.None));
            var configured = await Assert.ThrowsAsync<WriteRefusedException>(() => rig.Commands.ForgetAsync(new Caller("op@example.test", true, null), "replica1", CancellationToken.None));
            Assert.Contains("configuration", configured.Message);

            await rig.Commands.ForgetAsync(new Caller("op@example.test", true, null), "ghost", CancellationToken.None);

            Assert.DoesNotContain(rig.Registry.All, r => r.Endpoint.Name == "ghost");
            Assert.Equal("0", await TestCluster.RootSqlAsync("master", "SELECT COUNT(*) FROM portal.replicas WHERE name = 'ghost'"));
            Assert.Equal("op@example.test\tforget replica", await TestCluster.RootSqlAsync("master",
                "SELECT user_name, action FROM portal.audit_log WHERE table_name = 'replicas' AND row_key = 'ghost' ORDER BY id DESC LIMIT 1"));
            await Eventually.TrueAsync(() => rig.Monitor.Find("ghost") is null, "the monitor letting go of the forgotten replica");
        }
        finally
        {
            // Other tests count the known replicas.
            await TestCluster.RootSqlAsync("master", "DELETE FROM portal.replicas WHERE name = 'ghost'");
        }
    }

    [Fact]
    public async Task Health_and_metrics_report_every_replica()
    {
        await using var rig = await ReplicationRig.StartAsync();
        foreach (var replica in TestCluster.Replicas)
        {
            // Right after start-up neither the first heartbeat nor the master's position may have arrived yet.
            await rig.WaitForAsync(replica, r => r.HeartbeatAge is not null && r.TransactionsBehind is not null);
        }

        var ready = await new ReplicationHealthCheck(rig.Master, rig.Monitor, Options.Create(rig.Settings)).CheckHealthAsync(new HealthCheckContext());
        var metrics = new ReplicationMetrics(rig.Master, rig.Monitor, rig.Heartbeat, rig.Confirmations).Render();

        Assert.Equal(HealthStatus.Healthy, ready.Status);
        var expected = new List<string> { "portal_master_up 1\n" };
        foreach (var replica in TestCluster.Replicas)
        {
            expected.Add($"portal_replica_lag_seconds{{replica=\"{replica}\"}} ");
            expected.Add($"portal_replica_state{{replica=\"{replica}\",state=\"healthy\"}} 1\n");
            expected.Add($"portal_replica_heartbeat_age_seconds{{replica=\"{replica}\"}} ");
            expected.Add($"portal_replica_attached{{replica=\"{replica}\"}} 1\n");
            expected.Add($"portal_replica_transactions_behind{{replica=\"{replica}\"}} ");
        }
        Assert.All(expected, line => Assert.True(metrics.Contains(line), $"{line.Trim()} missing from:\n{metrics}"));
    }

    [Fact]
    public async Task Heartbeats_cost_the_binlog_little_and_stop_with_the_portal()
    {
        await using var rig = await ReplicationRig.StartAsync(o => o.HeartbeatInterval = TimeSpan.FromMilliseconds(100));
        var observed = Stopwatch.StartNew();
        var (file, start) = await BinlogPositionAsync();
        var firstSeq = rig.Heartbeat.Acks.LatestSeq;
        await Eventually.TrueAsync(() => rig.Heartbeat.Acks.LatestSeq >= firstSeq + 20, "twenty heartbeats");
        var (sameFile, end) = await BinlogPositionAsync();
        var writes = rig.Heartbeat.Acks.LatestSeq - firstSeq;
        var span = observed.Elapsed;
        var instance = rig.Heartbeat.InstanceId;

        Assert.Equal(file, sameFile);
        var perWrite = (end - start) / (double)writes;
        output.WriteLine($"{writes} heartbeats cost {end - start} bytes of binlog: {perWrite:0} bytes each, {perWrite * 86400 * 5 / 1e6:0} MB a day at the default 200 ms");
        // At most one write per interval: a busy machine writes fewer, never more.
        Assert.True(writes <= span / rig.Settings.HeartbeatInterval + 2, $"{writes} heartbeats in {span.TotalSeconds:0.0} s");
        // One short row event per heartbeat: GTID, statement annotation, table map, the row's two images, commit.
        Assert.True(perWrite < 450, $"{perWrite:0} bytes per heartbeat");

        await rig.DisposeAsync();
        Assert.Equal("0", await TestCluster.RootSqlAsync("master", $"SELECT COUNT(*) FROM asteriskdb.portal_heartbeat WHERE instance_id = '{instance}'"));
    }

    private static async Task<(string File, long Position)> BinlogPositionAsync()
    {
        var fields = (await TestCluster.RootSqlAsync("master", "SHOW MASTER STATUS")).Split('\t');
        return (fields[0], long.Parse(fields[1]));
    }
}
