using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Replication;

namespace Portal.IntegrationTests.Replication;

[Collection(ClusterCollection.Name)]
public sealed class GtidConfirmationTests
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
        await foreach (var c in Confirmations(options).WaitAsync("0-1-999999999", System.Diagnostics.Stopwatch.GetTimestamp(), CancellationToken.None))
        {
            confirmations.Add(c);
        }

        Assert.Equal(2, confirmations.Count);
        Assert.All(confirmations, c => Assert.False(c.Applied));
    }

    private static GtidConfirmations Confirmations(ReplicationOptions options) =>
        new(new ReplicaRegistry(Options.Create(options), Options.Create(TestCluster.Database()), TimeProvider.System, NullLogger<ReplicaRegistry>.Instance), Options.Create(options));
}
