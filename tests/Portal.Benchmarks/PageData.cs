using Microsoft.EntityFrameworkCore;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.SipPeers;

namespace Portal.Benchmarks;

/// <summary>
/// The data of every list and search page, through the same query classes the pages call, each beside the plain
/// SQL a person would type (what phpMyAdmin runs). Target: median at most 10 ms for every page at full size.
/// </summary>
public static class PageData
{
    private const double TargetMs = 10;

    public static async Task RunAsync(Services services, Sizes sizes, int runs, Report report)
    {
        report.Table("Page data: portal query vs plain SQL (ms, min / median / p95)", "page", "portal", "plain SQL", "target: median <= 10 ms");
        var op = Services.Operator;
        var peers = services.Peers;
        var deep = sizes.Peers * 9 / 10;
        var tenant = Sizes.TenantKey(42 % sizes.Tenants);
        var user = 4242 % sizes.Peers;

        // A deep page is reached by paging: the page holds the cursor of the row before it.
        var deepCursor = await CursorAtAsync(services, deep);
        await CompareAsync(report, runs, "peers, first page of 25",
            () => peers.PageAsync(op, new SipPeerFilter(), SipPeerSort.Name, false, null, false, 25, 0, default),
            "SELECT * FROM sip LIMIT 25");
        await CompareAsync(report, runs, $"peers, page at row {deep:N0}",
            () => peers.PageAsync(op, new SipPeerFilter(), SipPeerSort.Name, false, deepCursor, false, 25, 0, default),
            $"SELECT * FROM sip LIMIT {deep},25");
        await CompareAsync(report, runs, $"peers, last page",
            () => peers.PageAsync(op, new SipPeerFilter(), SipPeerSort.Name, false, null, true, 25, 0, default),
            $"SELECT * FROM sip LIMIT {sizes.Peers - 25},25");
        await CompareAsync(report, runs, $"peers, search \"User {user}\" (portal: prefix, indexed)",
            () => peers.PageAsync(op, new SipPeerFilter(Search: $"User {user}"), SipPeerSort.Name, false, null, false, 25, 0, default),
            $"SELECT * FROM sip WHERE callerid LIKE '%User {user}%' LIMIT 25");
        await CompareAsync(report, runs, $"peers, search \"User {user}\" with \"contains\" (reads every peer)",
            () => peers.PageAsync(op, new SipPeerFilter(Search: $"User {user}", Contains: true), SipPeerSort.Name, false, null, false, 25, 0, default),
            $"SELECT * FROM sip WHERE callerid LIKE '%User {user}%' LIMIT 25", target: false);
        await CompareAsync(report, runs, $"peers, tenant {tenant}",
            () => peers.PageAsync(op, new SipPeerFilter(TenantKey: tenant), SipPeerSort.Name, false, null, false, 25, 0, default),
            $"SELECT * FROM sip WHERE context = '{tenant}' LIMIT 25");
        await CompareAsync(report, runs, "peers, count for the pager (unfiltered estimate)",
            () => peers.CountAsync(op, new SipPeerFilter(), default),
            "SELECT COUNT(*) FROM sip");

        var dialplan = services.Dialplan;
        var context = Sizes.Context(4242 % sizes.Contexts);
        var deepContext = Sizes.Context(sizes.Contexts * 9 / 10);
        await CompareAsync(report, runs, "dialplan, contexts, first page of 25",
            () => dialplan.ContextsAsync(op, null, null, 0, 25, default),
            "SELECT context, COUNT(DISTINCT exten), COUNT(*) FROM extensions GROUP BY context LIMIT 25");
        await CompareAsync(report, runs, $"dialplan, contexts, page after {deepContext}",
            () => dialplan.ContextsAsync(op, null, deepContext, 0, 25, default),
            $"SELECT context, COUNT(DISTINCT exten), COUNT(*) FROM extensions GROUP BY context LIMIT {sizes.Contexts * 9 / 10},25");
        await CompareAsync(report, runs, "dialplan, context count for the pager",
            () => dialplan.ContextCountAsync(op, null, default),
            "SELECT COUNT(DISTINCT context) FROM extensions");
        await CompareAsync(report, runs, $"dialplan of one context ({context}), first page",
            () => dialplan.ContextAsync(op, context, null, 0, 25, default),
            $"SELECT * FROM extensions WHERE context = '{context}' LIMIT 25");
        await CompareAsync(report, runs, "dialplan, search appdata \"SIP/p001042\" in all contexts",
            () => dialplan.SearchAsync(op, SearchField.Appdata, "SIP/p001042", 0, 25, default),
            "SELECT * FROM extensions WHERE appdata LIKE '%SIP/p001042%' LIMIT 25");
        await CompareAsync(report, runs, "dialplan, search exten 1010 in all contexts",
            () => dialplan.SearchAsync(op, SearchField.Exten, "1010", 0, 25, default),
            "SELECT * FROM extensions WHERE exten LIKE '%1010%' LIMIT 25");
    }

    private static async Task<SipPeerCursor> CursorAtAsync(Services services, int row)
    {
        await using var db = await services.Asterisk.CreateDbContextAsync();
        var before = await db.SipPeers.OrderBy(p => p.Name).ThenBy(p => p.Id).Skip(row - 1).Select(p => new { p.Name, p.Id }).FirstAsync();
        return new SipPeerCursor(before.Name, before.Id);
    }

    public static async Task CompareAsync<T>(Report report, int runs, string page, Func<Task<T>> portal, string rawSql, bool target = true)
    {
        var ours = await Measure.TimeAsync(portal, runs);
        var raw = await Measure.TimeAsync(() => Raw.QueryAsync(rawSql), runs);
        report.Row(page, Report.Ms(ours), Report.Ms(raw), target ? report.Check(ours.Median <= TargetMs, $"{ours.Median:0.00} ms") : "shown for comparison (explicit slow option)");
    }
}
