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
    [Fact]
    public async Task A_3_s_sql_thread_stop_shows_as_3_s_of_lag_then_none()
    {
        // The finest settings the options allow in the recommended range: heartbeat every 100 ms, poll every 50 ms.
        await using var rig = await ReplicationRig.StartAsync(o =>
        {
            o.HeartbeatInterval = TimeSpan.FromMilliseconds(100);
            o.PollInterval = TimeSpan.FromMilliseconds(50);
        });
        try
        {
            // One session, so the stall is exactly the server's SLEEP(3) and no client start-up time.
            var stall = TestCluster.RootSqlAsync("replica1", "STOP SLAVE SQL_THREAD; DO SLEEP(3); START SLAVE SQL_THREAD");
            await rig.WaitForAsync("replica1", r => r.State == ReplicaState.Stopped && r.Lag > TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
            await stall;
            var recovered = await rig.WaitForAsync("replica1", r => r.Lag == TimeSpan.Zero && r.State == ReplicaState.Healthy, TimeSpan.FromSeconds(2));

            var now = Stopwatch.GetTimestamp();
            var peak = rig.Monitor.Find("replica1")!.History.Max(TimeSpan.FromSeconds(10), now);
            var other = rig.Monitor.Find("replica2")!.History.Max(TimeSpan.FromSeconds(10), now);
            output.WriteLine($"peak lag {peak.TotalMilliseconds:0} ms for a 3000 ms stall; back to 0 {recovered.TotalMilliseconds:0} ms after START; replica2 peak {other.TotalMilliseconds:0} ms");
            Assert.InRange(peak.TotalSeconds, 2.8, 3.2);
            Assert.True(other < TimeSpan.FromMilliseconds(500), $"replica2 was not stalled but lagged {other}");
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
        }
    }

    [Fact]
    public async Task A_killed_replica_is_unreachable_within_2_s_and_healthy_again_after_restart()
    {
        await using var rig = await ReplicationRig.StartAsync();
        try
        {
            // scripts/cluster returns once mariadbd is gone. A killed process closes its sockets only after the kernel
            // has freed its memory, which on a loaded machine takes a second or two: the clock runs from its exit.
            var clock = Stopwatch.StartNew();
            await TestCluster.ClusterAsync("kill", "replica1");
            var exited = clock.Elapsed;
            await rig.WaitForAsync("replica1", r => r.State == ReplicaState.Unreachable, TimeSpan.FromSeconds(2));
            var detected = clock.Elapsed - exited;
            var ready = await new ReplicationHealthCheck(rig.Master, rig.Monitor, Options.Create(rig.Settings)).CheckHealthAsync(new HealthCheckContext());

            clock.Restart();
            await TestCluster.ClusterAsync("start", "replica1");
            await rig.WaitForAsync("replica1", r => r.State == ReplicaState.Healthy, TimeSpan.FromSeconds(15));
            var healthy = clock.Elapsed;

            output.WriteLine($"unreachable {detected.TotalMilliseconds:0} ms after mariadbd exited ({exited.TotalMilliseconds:0} ms after the kill was sent); healthy {healthy.TotalMilliseconds:0} ms after the start command (server start-up included)");
            Assert.True(detected < TimeSpan.FromSeconds(2), $"took {detected}");
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
    public async Task A_black_holed_link_is_flagged_within_2_s_while_the_io_thread_still_says_yes()
    {
        await using var rig = await ReplicationRig.StartAsync();
        await using var proxy = new BlackHoleProxy(TestCluster.Port, TimeSpan.FromSeconds(60));
        try
        {
            await TestCluster.RootSqlAsync("replica2", $"STOP SLAVE; CHANGE MASTER TO MASTER_PORT={proxy.Port}; START SLAVE");
            await rig.WaitForAsync("replica2", r => r.Status?.MasterPort == proxy.Port && r.State == ReplicaState.Healthy, TimeSpan.FromSeconds(10));

            proxy.BlackHole();
            var clock = Stopwatch.StartNew();
            var flagged = await rig.WaitForAsync("replica2", r => r.State != ReplicaState.Healthy, TimeSpan.FromSeconds(2));
            var view = rig.Monitor.Find("replica2")!;

            output.WriteLine($"flagged {flagged.TotalMilliseconds:0} ms after the link went silent: {view.State} ({view.Detail}); IO {view.Status?.IoRunning}, Seconds_Behind_Master {view.Status?.SecondsBehindMaster}");
            Assert.Equal(ReplicaState.LinkDead, view.State);
            Assert.Equal("Yes", view.Status?.IoRunning);
        }
        finally
        {
            await proxy.DisposeAsync();
            await TestCluster.RootSqlAsync("replica2", $"STOP SLAVE; CHANGE MASTER TO MASTER_PORT={TestCluster.Port}; START SLAVE");
            await FaultInjection.RestoreClusterAsync();
        }
    }
}
