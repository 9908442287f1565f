using Portal.Asterisk;
using Portal.Web.Features.Dialplan;

namespace Portal.IntegrationTests.Dialplan;

/// <summary>What the dialplan pages read: counts for the pager, owners, and the checks on the rows shown.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DialplanPageDataTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly DialplanServices dialplan = new();

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
