using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Replication;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Replication;

[Collection(ClusterCollection.Name)]
public sealed class GtidConfirmationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Each_replica_confirms_a_write_by_its_gtid()
    {
        var result = await TestCluster.Writer().WriteAsync(new Caller("t", true, null), "create pin", (scope, _) =>
        {
            scope.Db.Pins.Add(new Pin { Company = "gtid-test", Code = "9999-" + Random.Shared.Next(100000, 999999) });
            return Task.CompletedTask;
        }, CancellationToken.None);

        var confirmations = new List<ReplicaConfirmation>();
        await foreach (var c in Confirmations(TestCluster.Replication()).WaitAsync(result.Gtid!, result.CommittedAt, CancellationToken.None))
        {
            confirmations.Add(c);
        }

        Assert.Equal(TestCluster.Replicas.Order(), confirmations.Select(c => c.Replica).Order());
        Assert.All(confirmations, c => Assert.True(c.Applied, c.Error));
    }

    [Fact]
    public async Task A_gtid_the_replicas_never_saw_is_reported_not_live()
    {
        var options = TestCluster.Replication();
        options.ConfirmTimeout = TimeSpan.FromMilliseconds(300);
        var confirmations = new List<ReplicaConfirmation>();
        await foreach (var c in Confirmations(options).WaitAsync("0-1-999999999", Stopwatch.GetTimestamp(), CancellationToken.None))
        {
            confirmations.Add(c);
        }

        Assert.Equal(2, confirmations.Count);
        Assert.All(confirmations, c => Assert.False(c.Applied));
    }

    /// <summary>How soon is the benchmarks' figure; here, that every change is confirmed on both and each confirmation timed.</summary>
    [Fact]
    public async Task Every_change_is_confirmed_on_both_replicas_and_its_latency_recorded()
    {
        var options = TestCluster.Replication();
        // A busy machine may take seconds to apply a change; a confirmation that gives up would fail the test for it.
        options.ConfirmTimeout = TimeSpan.FromSeconds(60);
        var confirmations = Confirmations(options);
        var writer = TestCluster.Writer();
        var caller = new Caller("latency-test", true, null);
        try
        {
            var observed = Stopwatch.StartNew();
            for (var i = 0; i < 100; i++)
            {
                var result = await writer.WriteAsync(caller, "create pin", (scope, _) =>
                {
                    scope.Db.Pins.Add(new Pin { Company = "latency-test", Code = $"lat-{i}-{Random.Shared.Next(100000, 999999)}" });
                    return Task.CompletedTask;
                }, CancellationToken.None);
                await foreach (var c in confirmations.WaitAsync(result.Gtid!, result.CommittedAt, CancellationToken.None))
                {
                    Assert.True(c.Applied, c.Error);
                }
            }

            var latency = confirmations.Latency!;
            output.WriteLine($"commit to applied on a replica, {latency.Count} confirmations: median {latency.Median.TotalMilliseconds:0.00} ms, p99 {latency.P99.TotalMilliseconds:0.00} ms");
            Assert.Equal(200, latency.Count);
            // Each latency runs from a commit to its confirmation, so none can exceed the test's own span around them.
            Assert.InRange(latency.P99, TimeSpan.Zero, observed.Elapsed);
        }
        finally
        {
            await TestCluster.RootSqlAsync("master", "DELETE FROM asteriskdb.pins WHERE company = 'latency-test'");
        }
    }

    private static GtidConfirmations Confirmations(ReplicationOptions options) =>
        new(new ReplicaRegistry(Options.Create(options), Options.Create(TestCluster.Database()), TimeProvider.System, NullLogger<ReplicaRegistry>.Instance), Options.Create(options));
}
