using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Web.Components.Shared;
using Portal.Web.Data;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Replication;

namespace Portal.IntegrationTests.Replication;

/// <summary>The confirmation a user sees after a change, rendered against the real replicas.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LiveOnReplicasTests
{
    [Fact]
    public async Task A_replica_that_has_not_applied_the_change_is_named_after_the_threshold_then_counted_when_it_has()
    {
        var options = TestCluster.Replication();
        options.SlowThreshold = TimeSpan.FromMilliseconds(300);
        // Longer than the test can take on a busy machine: replica2 is started again before its confirmation gives up.
        options.ConfirmTimeout = TimeSpan.FromSeconds(60);
        var registry = new ReplicaRegistry(Options.Create(options), Options.Create(TestCluster.Database()), TimeProvider.System, NullLogger<ReplicaRegistry>.Instance);
        await using var context = new BunitContext();
        context.Services.AddSingleton(new GtidConfirmations(registry, Options.Create(options)));
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        try
        {
            await TestCluster.RootSqlAsync("replica2", "STOP SLAVE SQL_THREAD");
            var result = await TestCluster.Writer().WriteAsync(new Caller("live-test", true, null), "create pin", (scope, _) =>
            {
                scope.Db.Pins.Add(new Pin { Company = "live-test", Code = "live-" + Random.Shared.Next(100000, 999999) });
                return Task.CompletedTask;
            }, CancellationToken.None);

            var settled = new List<(WriteResult Result, bool Live)>();
            var alert = context.Render<LiveOnReplicas>(p => p.Add(c => c.Result, result).Add(c => c.Settled, (r, live) => settled.Add((r, live))));

            alert.WaitForAssertion(() => Assert.Contains("Live on 1 of 2 replicas", alert.Markup), Eventually.Deadline);
            alert.WaitForAssertion(() => Assert.Contains("not yet on replica2", alert.Find("[data-testid=not-yet-on]").TextContent), Eventually.Deadline);
            Assert.DoesNotContain("replica1", alert.Find("[data-testid=not-yet-on]").TextContent);
            Assert.Empty(settled);

            await TestCluster.RootSqlAsync("replica2", "START SLAVE SQL_THREAD");
            alert.WaitForAssertion(() => Assert.Contains("Live on 2 of 2 replicas", alert.Markup), Eventually.Deadline);
            alert.WaitForAssertion(() => Assert.Equal([(result, true)], settled), Eventually.Deadline);
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
            await TestCluster.RootSqlAsync("master", "DELETE FROM asteriskdb.pins WHERE company = 'live-test'");
        }
    }

    [Fact]
    public async Task Without_a_known_replica_a_change_settles_as_not_live()
    {
        var options = TestCluster.Replication();
        options.Replicas = [];
        var registry = new ReplicaRegistry(Options.Create(options), Options.Create(TestCluster.Database()), TimeProvider.System, NullLogger<ReplicaRegistry>.Instance);
        await using var context = new BunitContext();
        context.Services.AddSingleton(new GtidConfirmations(registry, Options.Create(options)));
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        var result = new WriteResult("0-1-1", 1, TimeSpan.FromMilliseconds(1), System.Diagnostics.Stopwatch.GetTimestamp());
        var settled = new List<(WriteResult Result, bool Live)>();

        var alert = context.Render<LiveOnReplicas>(p => p.Add(c => c.Result, result).Add(c => c.Settled, (r, live) => settled.Add((r, live))));

        Assert.Contains("No replica is known", alert.Markup);
        alert.WaitForAssertion(() => Assert.Equal([(result, false)], settled), Eventually.Deadline);
    }
}
