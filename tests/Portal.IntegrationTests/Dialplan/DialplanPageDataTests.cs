using Portal.Asterisk;
using Portal.Web.Features.Dialplan;

namespace Portal.IntegrationTests.Dialplan;

/// <summary>What the dialplan pages read: counts for the pager, owners, and the checks on the rows shown.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DialplanPageDataTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly DialplanServices dialplan = new();
    private readonly string master = TestCluster.Database().AsteriskConnectionString;

    [Fact]
    public async Task The_context_count_is_kept_until_the_next_write_through_the_write_path()
    {
        var prefix = DialplanServices.UniqueContext("n");
        var kept = dialplan.QueriesKeepingCounts;
        var op = DialplanServices.Operator;
        Assert.Equal(0, await kept.ContextCountAsync(op, prefix, None));

        await dialplan.Commands.CreateContextAsync(op, new NewContextForm { Context = prefix + "a" }, None);
        Assert.Equal(1, await kept.ContextCountAsync(op, prefix, None));

        // A change the write path does not see (a database client, another portal) shows once the count is counted
        // again: after the next write, or the count's lifetime.
        await TestCluster.ScalarAsync(master, $"INSERT INTO extensions (context, exten, priority, app) VALUES ('{prefix}b', 's', 1, 'Answer')");
        Assert.Equal(1, await kept.ContextCountAsync(op, prefix, None));
        Assert.Equal(2, await dialplan.Queries.ContextCountAsync(op, prefix, None));
        await dialplan.Commands.CreateContextAsync(op, new NewContextForm { Context = prefix + "c" }, None);
        Assert.Equal(3, await kept.ContextCountAsync(op, prefix, None));
    }

    [Fact]
    public async Task Pages_show_the_owner_and_mark_the_flag_row_among_the_rows_shown()
    {
        var key = await dialplan.CreateTenantAsync();
        var context = DialplanServices.UniqueContext();
        var op = DialplanServices.Operator;
        await dialplan.Commands.CreateContextAsync(op, new NewContextForm
        {
            Context = context,
            TenantKey = key,
            Template = ContextTemplate.AutoAttendant,
            ClosedMailbox = "1001@" + key,
        }, None);

        var row = Assert.Single(await dialplan.Queries.ContextsAsync(op, context, null, 0, 25, None));
        Assert.Equal(key, row.Tenant);
        Assert.True(row.Extensions > 1);
        var view = await dialplan.Queries.ContextAsync(op, context, null, 0, 25, None);
        Assert.Equal(key, view.Tenant);
        var flag = view.Extensions.SelectMany(e => e.Steps).Single(s => s.Step.App == key);
        Assert.Contains(flag.Findings, f => f.Severity == Severity.Info && f.Message.Contains("office-closed flag row of tenant " + key));
        Assert.All(view.Extensions.SelectMany(e => e.Steps).Where(s => s.Step.App != key), s => Assert.DoesNotContain(s.Findings, f => f.Message.Contains("flag row")));
    }
}
