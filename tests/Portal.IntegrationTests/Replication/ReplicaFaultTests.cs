using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Web.Features.Replication;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Replication;

/// <summary>Faults injected into the test cluster, each put right again in a finally block.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReplicaFaultTests(ITestOutputHelper output)
{
    /// <summary>How closely the lag follows the stall is the benchmarks' figure; here, that it shows, on replica1 alone, and goes.</summary>
    [Fact]
    public async Task A_3_s_sql_thread_stop_shows_as_lag_on_that_replica_then_none()
    {
        // The finest settings the options allow in the recommended range: heartbeat every 100 ms, poll every 50 ms.
        await using var rig = await ReplicationRig.StartAsync(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        try
        {
            var observed = Stopwatch.StartNew();
            // One session, so the stall is exactly the server's SLEEP(3), however long the client takes to start.
            await TestCluster.RootSqlAsync("replica1", "STOP SLAVE SQL_THREAD; DO SLEEP(3); START SLAVE SQL_THREAD");
            await rig.WaitForAsync("replica1", r => r.Lag == TimeSpan.Zero && r.State == ReplicaState.Healthy);

            var now = Stopwatch.GetTimestamp();
            var peak = rig.Monitor.Find("replica1")!.History.Max(observed.Elapsed, now);
            var other = rig.Monitor.Find("replica2")!.History.Max(observed.Elapsed, now);
            output.WriteLine($"peak lag {peak.TotalMilliseconds:0} ms for a 3000 ms stall; replica2 peak {other.TotalMilliseconds:0} ms");
            // Above the threshold (so the stall was seen), and never more than the time the stall could have lasted.
            Assert.InRange(peak, rig.Settings.LagThreshold, observed.Elapsed);
            Assert.True(other < peak, $"replica2 was not stalled but lagged {other}, as much as replica1's {peak}");
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
        }
    }

    [Fact]
    public async Task A_killed_replica_is_unreachable_and_healthy_again_after_restart()
    {
        await using var rig = await ReplicationRig.StartAsync();
        try
        {
            await TestCluster.ClusterAsync("kill", "replica1");
            var unreachable = await rig.WaitForAsync("replica1", r => r.State == ReplicaState.Unreachable);
            var ready = await new ReplicationHealthCheck(rig.Master, rig.Monitor, Options.Create(rig.Settings)).CheckHealthAsync(new HealthCheckContext());

            await TestCluster.ClusterAsync("start", "replica1");
            await rig.WaitForAsync("replica1", r => r.State == ReplicaState.Healthy, TimeSpan.FromSeconds(60));

            output.WriteLine($"killed: {unreachable.Detail}");
            Assert.Equal(HealthStatus.Unhealthy, ready.Status);
            Assert.Contains("replica1", ready.Description);
            Assert.Equal(ReplicaState.Healthy, rig.Monitor.Find("replica2")!.State);
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
        }
    }

    [Fact]
    public async Task A_black_holed_link_is_flagged_while_the_io_thread_still_says_yes()
    {
        await using var rig = await ReplicationRig.StartAsync();
        await using var proxy = new BlackHoleProxy(TestCluster.Port, TimeSpan.FromSeconds(120));
        var netTimeout = await TestCluster.RootSqlAsync("replica2", "SELECT @@global.slave_net_timeout");
        try
        {
            // The server's own default: a silent link goes unnoticed by the IO thread for a minute (the test cluster's
            // 2 s would make this a race between the portal and the server on a busy machine).
            await TestCluster.RootSqlAsync("replica2", $"STOP SLAVE; SET GLOBAL slave_net_timeout = 60; CHANGE MASTER TO MASTER_PORT={proxy.Port}; START SLAVE");
            await rig.WaitForAsync("replica2", r => r.Status?.MasterPort == proxy.Port && r.State == ReplicaState.Healthy);

            proxy.BlackHole();
            var view = await rig.WaitForAsync("replica2", r => r.State != ReplicaState.Healthy);

            output.WriteLine($"flagged: {view.State} ({view.Detail}); IO {view.Status?.IoRunning}, Seconds_Behind_Master {view.Status?.SecondsBehindMaster}");
            Assert.Equal(ReplicaState.LinkDead, view.State);
            Assert.Equal("Yes", view.Status?.IoRunning);
        }
        finally
        {
            await proxy.DisposeAsync();
            await TestCluster.RootSqlAsync("replica2", $"STOP SLAVE; SET GLOBAL slave_net_timeout = {netTimeout}; CHANGE MASTER TO MASTER_PORT={TestCluster.Port}; START SLAVE");
            await FaultInjection.RestoreClusterAsync();
        }
    }
}
