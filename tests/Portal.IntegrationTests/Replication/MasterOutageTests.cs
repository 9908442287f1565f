using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Replication;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Replication;

/// <summary>The master killed: the portal turns read-only, reads from a replica, and recovers by itself.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MasterOutageTests(ITestOutputHelper output)
{
    private static readonly Caller Operator = new("outage-test@example.test", true, null);

    private static Func<WriteScope, CancellationToken, Task> AddPin(string code) => (scope, _) =>
    {
        scope.Db.Pins.Add(new Pin { Company = "outage-test", Code = code });
        return Task.CompletedTask;
    };

    [Fact]
    public async Task Killing_the_master_turns_the_portal_read_only_on_a_replica_and_it_recovers_when_the_master_is_back()
    {
        await using var rig = await ReplicationRig.StartAsync();
        var suffix = Random.Shared.Next(100_000, 999_999);
        var (kept, lost, later) = ($"kept-{suffix}", $"lost-{suffix}", $"later-{suffix}");
        var before = await rig.Writer.WriteAsync(Operator, "create pin", AddPin(kept), CancellationToken.None);
        await foreach (var _ in rig.Confirmations.WaitAsync(before.Gtid!, before.CommittedAt, CancellationToken.None))
        {
        }
        try
        {
            // A change in flight when the master dies: its row and its audit entry are in one transaction that never
            // commits. Its own MasterState, so the outage is noticed by the heartbeat and the probe, as it would be
            // with nobody editing.
            var inFlight = new MasterWriter(Options.Create(rig.Database), new MasterState(TimeProvider.System), NullLogger<MasterWriter>.Instance);
            var refusedInFlight = await Assert.ThrowsAsync<WriteRefusedException>(() => inFlight.WriteAsync(Operator, "create pin", async (scope, ct) =>
            {
                await using (var insert = new MySqlCommand("INSERT INTO pins (company, pin) VALUES ('outage-test', @pin)", scope.Connection))
                {
                    insert.Parameters.AddWithValue("@pin", lost);
                    await insert.ExecuteNonQueryAsync(ct);
                }
                scope.Audit(new AuditChange("pins", lost, null, new Dictionary<string, object?> { ["pin"] = lost }));
                await TestCluster.ClusterAsync("kill", "master");
            }, CancellationToken.None));
            // The audit entry and the COMMIT are one round trip, so a connection lost on it cannot tell whether the COMMIT
            // ran: the user is told so, and the check below (once the master is back) shows that nothing was saved.
            Assert.Contains("is unknown until the master is back", refusedInFlight.Message);

            // How soon is MasterProbeTests' matter (a refused connection at once, a silence only after DownAfter).
            await Eventually.TrueAsync(() => rig.Master.IsDown, "the master's outage being noticed");

            var refused = await Assert.ThrowsAsync<WriteRefusedException>(() => rig.Writer.WriteAsync(Operator, "create pin", AddPin(later), CancellationToken.None));
            Assert.Contains("read-only", refused.Message);

            var source = rig.Reads.Current;
            Assert.False(source.IsMaster);
            await using (var db = await rig.Reads.Asterisk.CreateDbContextAsync())
            {
                Assert.True(await db.Pins.AnyAsync(p => p.Code == kept), "a replica serves what the master had");
            }
            await using (var portal = await rig.Reads.Portal.CreateDbContextAsync())
            {
                await portal.Tenants.CountAsync();
            }
            output.WriteLine($"read-only: {rig.Master.DownReason}; reading from {source.Replica} at {source.Lag?.TotalMilliseconds:0} ms lag; refused: {refused.Message}");

            await TestCluster.ClusterAsync("start", "master");
            await Eventually.TrueAsync(() => !rig.Master.IsDown, "the portal writable again once the master is back", TimeSpan.FromSeconds(60));
            Assert.True(rig.Reads.Current.IsMaster);

            var after = await rig.Writer.WriteAsync(Operator, "create pin", AddPin(later), CancellationToken.None);
            var confirmations = new List<ReplicaConfirmation>();
            await foreach (var c in rig.Confirmations.WaitAsync(after.Gtid!, after.CommittedAt, CancellationToken.None))
            {
                confirmations.Add(c);
            }
            Assert.All(TestCluster.Replicas, r => Assert.True(confirmations.Single(c => c.Replica == r).Applied));
            Assert.Equal("0", await TestCluster.RootSqlAsync("master", $"SELECT COUNT(*) FROM asteriskdb.pins WHERE pin = '{lost}'"));
            Assert.Equal("0", await TestCluster.RootSqlAsync("master", $"SELECT COUNT(*) FROM portal.audit_log WHERE row_key = '{lost}'"));
            // The write path keys a pin's audit entry by its id (the code itself is masked as a secret).
            Assert.Equal("1", await TestCluster.RootSqlAsync("master", $"SELECT COUNT(*) FROM portal.audit_log a JOIN asteriskdb.pins p ON a.row_key = p.id WHERE a.table_name = 'pins' AND p.pin = '{later}'"));
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
            await TestCluster.RootSqlAsync("master", "DELETE FROM asteriskdb.pins WHERE company = 'outage-test'");
        }
    }
}
