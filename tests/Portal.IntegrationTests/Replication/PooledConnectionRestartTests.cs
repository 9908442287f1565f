using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Replication;

namespace Portal.IntegrationTests.Replication;

/// <summary>
/// Writes and confirmations keep pooled connections without the pool's reset: a restarted server leaves them dead
/// in the pool, and the next write and confirmation must still work on the first try, with nothing written twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class PooledConnectionRestartTests
{
    private static readonly Caller Operator = new("restart-test@example.test", true, null);

    private static Func<WriteScope, CancellationToken, Task> AddPin(string code) => (scope, _) =>
    {
        scope.Db.Pins.Add(new Pin { Company = "restart-test", Code = code });
        return Task.CompletedTask;
    };

    /// <summary>A write that begins its transaction in its first batch, as the office toggle's flip does.</summary>
    private static Func<WriteScope, CancellationToken, Task> AddPinInFirstBatch(string code) => async (scope, ct) =>
    {
        await using var insert = scope.FirstBatch("INSERT INTO pins (company, pin) VALUES ('restart-test', @code)");
        insert.Parameters.AddWithValue("@code", code);
        await insert.ExecuteNonQueryAsync(ct);
        scope.Audit(new AuditChange("pins", code, null, new Dictionary<string, object?> { ["pin"] = code }));
    };

    [Fact]
    public async Task The_first_write_and_confirmation_after_restarts_succeed_on_new_connections()
    {
        var master = new MasterState(TimeProvider.System);
        var writer = new MasterWriter(Options.Create(TestCluster.Database()), master, NullLogger<MasterWriter>.Instance);
        var replication = TestCluster.Replication();
        var confirmations = new GtidConfirmations(
            new ReplicaRegistry(Options.Create(replication), Options.Create(TestCluster.Database()), TimeProvider.System, NullLogger<ReplicaRegistry>.Instance),
            Options.Create(replication));
        var suffix = Random.Shared.Next(100_000, 999_999);
        try
        {
            // Leaves an idle connection in each pool: the writer's to the master, the confirmations' to each replica.
            await ConfirmAsync(confirmations, await writer.WriteAsync(Operator, "create pin", AddPin($"before-{suffix}"), CancellationToken.None));

            foreach (var node in new[] { "master", "replica1" })
            {
                await TestCluster.ClusterAsync("stop", node);
                await TestCluster.ClusterAsync("start", node);
            }
            await TestCluster.RootSqlAsync("replica1", "START SLAVE");

            // The pooled connection is dead: a write that begins in its first batch finds out there and runs again.
            var first = await writer.WriteAsync(Operator, "create pin", beginInFirstBatch: true, AddPinInFirstBatch($"first-{suffix}"), CancellationToken.None);
            await ConfirmAsync(confirmations, first);
            var after = await writer.WriteAsync(Operator, "create pin", AddPin($"after-{suffix}"), CancellationToken.None);
            await ConfirmAsync(confirmations, after);
            Assert.False(master.IsDown);
            Assert.Equal("1", await TestCluster.RootSqlAsync("master", $"SELECT COUNT(*) FROM asteriskdb.pins WHERE pin = 'first-{suffix}'"));
            Assert.Equal("1", await TestCluster.RootSqlAsync("master", $"SELECT COUNT(*) FROM asteriskdb.pins WHERE pin = 'after-{suffix}'"));
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
            await TestCluster.RootSqlAsync("master", "DELETE FROM asteriskdb.pins WHERE company = 'restart-test'");
        }
    }

    private static async Task ConfirmAsync(GtidConfirmations confirmations, WriteResult result)
    {
        var seen = new List<ReplicaConfirmation>();
        await foreach (var c in confirmations.WaitAsync(result.Gtid!, result.CommittedAt, CancellationToken.None))
        {
            seen.Add(c);
        }
        Assert.Equal(TestCluster.Replicas.Order(), seen.Select(c => c.Replica).Order());
        Assert.All(seen, c => Assert.True(c.Applied, $"{c.Replica}: {c.Error}"));
    }
}
