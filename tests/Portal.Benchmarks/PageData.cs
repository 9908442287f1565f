using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.Pins;
using Portal.Web.Features.SipPeers;
using Portal.Web.Features.Voicemail;

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
        var first = KeysetRequest.First(25);

        // A deep page is reached by paging: the page holds the cursor of the row before it (found once, untimed).
        var deepPeer = (await peers.PageAsync(op, new SipPeerFilter(), SipPeerSort.Name, false, new KeysetRequest(null, false, 1, deep - 1), default))[0].Cursor;
        await CompareAsync(report, runs, "peers, first page of 25",
            () => peers.PageAsync(op, new SipPeerFilter(), SipPeerSort.Name, false, first, default),
            "SELECT * FROM sip LIMIT 25");
        await CompareAsync(report, runs, $"peers, page at row {deep:N0}",
            () => peers.PageAsync(op, new SipPeerFilter(), SipPeerSort.Name, false, new KeysetRequest(deepPeer, false, 25), default),
            $"SELECT * FROM sip LIMIT {deep},25");
        await CompareAsync(report, runs, "peers, last page",
            () => peers.PageAsync(op, new SipPeerFilter(), SipPeerSort.Name, false, new KeysetRequest(null, true, 25), default),
            $"SELECT * FROM sip LIMIT {sizes.Peers - 25},25");
        await CompareAsync(report, runs, $"peers, search \"User {user}\" (portal: prefix, indexed)",
            () => peers.PageAsync(op, new SipPeerFilter(Search: $"User {user}"), SipPeerSort.Name, false, first, default),
            $"SELECT * FROM sip WHERE callerid LIKE '%User {user}%' LIMIT 25");
        await CompareAsync(report, runs, $"peers, search \"User {user}\" with \"contains\" (reads every peer)",
            () => peers.PageAsync(op, new SipPeerFilter(Search: $"User {user}", Contains: true), SipPeerSort.Name, false, first, default),
            $"SELECT * FROM sip WHERE callerid LIKE '%User {user}%' LIMIT 25", target: false);
        await CompareAsync(report, runs, $"peers, tenant {tenant}",
            () => peers.PageAsync(op, new SipPeerFilter(TenantKey: tenant), SipPeerSort.Name, false, first, default),
            $"SELECT * FROM sip WHERE context = '{tenant}' LIMIT 25");
        await CompareAsync(report, runs, "peers, count for the pager (unfiltered estimate)",
            () => peers.CountAsync(op, new SipPeerFilter(), default),
            "SELECT COUNT(*) FROM sip");

        var pins = services.Pins;
        var deepPinRow = sizes.Pins * 9 / 10;
        var deepPin = (await pins.PageAsync(op, new PinFilter(), false, new KeysetRequest(null, false, 1, deepPinRow - 1), default))[0].Cursor;
        var pinDigits = "1001";
        await CompareAsync(report, runs, $"PINs of one company ({tenant}), first page",
            () => pins.PageAsync(op, new PinFilter(TenantKey: tenant), false, first, default),
            $"SELECT * FROM pins WHERE company = '{tenant}' LIMIT 25");
        await CompareAsync(report, runs, $"PINs of one company, search \"{pinDigits}\"",
            () => pins.PageAsync(op, new PinFilter(TenantKey: tenant, Search: pinDigits), false, first, default),
            $"SELECT * FROM pins WHERE company = '{tenant}' AND pin LIKE '%{pinDigits}%' LIMIT 25");
        await CompareAsync(report, runs, $"PINs of all companies, page at row {deepPinRow:N0}",
            () => pins.PageAsync(op, new PinFilter(), false, new KeysetRequest(deepPin, false, 25), default),
            $"SELECT * FROM pins LIMIT {deepPinRow},25");
        await CompareAsync(report, runs, "PINs, count for the pager",
            () => pins.CountAsync(op, new PinFilter(TenantKey: tenant), default),
            $"SELECT COUNT(*) FROM pins WHERE company = '{tenant}'");

        var boxes = services.Voicemail;
        var deepBoxRow = sizes.Mailboxes * 9 / 10;
        var deepBox = (await boxes.PageAsync(op, new VoicemailFilter(), VoicemailSort.Mailbox, false, new KeysetRequest(null, false, 1, deepBoxRow - 1), default))[0].Cursor;
        await CompareAsync(report, runs, "mailboxes, first page",
            () => boxes.PageAsync(op, new VoicemailFilter(), VoicemailSort.Mailbox, false, first, default),
            "SELECT * FROM voicemail LIMIT 25");
        await CompareAsync(report, runs, $"mailboxes, page at row {deepBoxRow:N0}",
            () => boxes.PageAsync(op, new VoicemailFilter(), VoicemailSort.Mailbox, false, new KeysetRequest(deepBox, false, 25), default),
            $"SELECT * FROM voicemail LIMIT {deepBoxRow},25");
        await CompareAsync(report, runs, $"mailboxes, search \"User {user}\"",
            () => boxes.PageAsync(op, new VoicemailFilter(Search: $"User {user}"), VoicemailSort.Mailbox, false, first, default),
            $"SELECT * FROM voicemail WHERE fullname LIKE '%User {user}%' LIMIT 25");
        await CompareAsync(report, runs, $"mailboxes of tenant {tenant}",
            () => boxes.PageAsync(op, new VoicemailFilter(TenantKey: tenant), VoicemailSort.Mailbox, false, first, default),
            $"SELECT * FROM voicemail WHERE context = '{tenant}' LIMIT 25");

        var dialplan = services.Dialplan;
        var context = Sizes.Context(4242 % sizes.Contexts);
        var deepContext = Sizes.Context(sizes.Contexts * 9 / 10);
        await CompareAsync(report, runs, "dialplan, contexts, first page of 25",
            () => dialplan.ContextsAsync(op, null, null, 0, 25, default),
            "SELECT context, COUNT(DISTINCT exten), COUNT(*) FROM extensions GROUP BY context LIMIT 25");
        await CompareAsync(report, runs, $"dialplan, contexts, page after {deepContext}",
            () => dialplan.ContextsAsync(op, null, deepContext, 0, 25, default),
            $"SELECT context, COUNT(DISTINCT exten), COUNT(*) FROM extensions GROUP BY context LIMIT {sizes.Contexts * 9 / 10},25");
        // The pager's total comes from the table the triggers on extensions keep (installed by the schema check).
        var contextPrefix = Sizes.Context(sizes.Contexts / 2)[..4];
        await CompareAsync(report, runs, "dialplan, context count for the pager (kept by the database's triggers)",
            () => dialplan.ContextCountAsync(op, null, default),
            "SELECT COUNT(DISTINCT context) FROM extensions");
        await CompareAsync(report, runs, $"dialplan, context count for the pager, contexts starting {contextPrefix}",
            () => dialplan.ContextCountAsync(op, contextPrefix, default),
            $"SELECT COUNT(DISTINCT context) FROM extensions WHERE context LIKE '{contextPrefix}%'");
        var notes = await FallbackContextCountAsync(services, sizes, runs, report);
        await CompareAsync(report, runs, $"dialplan of one context ({context}), first page",
            () => dialplan.ContextAsync(op, context, null, 0, 25, default),
            $"SELECT * FROM extensions WHERE context = '{context}' LIMIT 25");
        await CompareAsync(report, runs, "dialplan, search appdata \"SIP/p001042\" in all contexts",
            () => dialplan.SearchAsync(op, SearchField.Appdata, "SIP/p001042", 0, 25, default),
            "SELECT * FROM extensions WHERE appdata LIKE '%SIP/p001042%' LIMIT 25");
        await CompareAsync(report, runs, "dialplan, search exten 1010 in all contexts",
            () => dialplan.SearchAsync(op, SearchField.Exten, "1010", 0, 25, default),
            "SELECT * FROM extensions WHERE exten LIKE '%1010%' LIMIT 25");
        report.Note(notes);
    }

    /// <summary>
    /// The count on a classic asteriskdb whose operator has not applied the schema check's change: the triggers are
    /// dropped, both fallback figures measured (the loose scan, and the count kept between writes), and the change
    /// applied again as an operator would, timed. Returns a note on the install for below the table.
    /// </summary>
    private static async Task<string> FallbackContextCountAsync(Services services, Sizes sizes, int runs, Report report)
    {
        var op = Services.Operator;
        var database = IntegrationTests.TestCluster.Database();
        await using (var connection = new MySqlConnector.MySqlConnection(database.Migrator))
        {
            await connection.OpenAsync();
            foreach (var trigger in DialplanContextCount.Triggers)
            {
                await using var drop = new MySqlConnector.MySqlCommand($"DROP TRIGGER IF EXISTS `{database.AsteriskDatabase}`.`{trigger}`", connection);
                await drop.ExecuteNonQueryAsync();
            }
        }
        var clock = new System.Diagnostics.Stopwatch();
        try
        {
            await CompareAsync(report, runs, "dialplan, context count without the triggers (classic asteriskdb), counted (first ask per filter after a write or 30 s)",
                () => services.DialplanCounted.ContextCountAsync(op, null, default),
                "SELECT COUNT(DISTINCT context) FROM extensions", target: false, note: "fallback until the operator applies the schema check's change");
            await CompareAsync(report, runs, "dialplan, context count without the triggers (classic asteriskdb), kept (asked again within 30 s, no write between)",
                () => services.Dialplan.ContextCountAsync(op, null, default),
                "SELECT COUNT(DISTINCT context) FROM extensions");
        }
        finally
        {
            clock.Start();
            var applied = await IntegrationTests.TestCluster.Migrator(database).ApplyRecommendedAsync(default);
            var installed = applied.Any(f => f.What.Contains("context count"));
            clock.Stop();
            if (!installed)
            {
                report.Note("The schema check did not reinstall the context count: later figures use the fallback.");
            }
        }
        return $"Installing the maintained context count (the schema check's change: table, triggers, fill under LOCK TABLES) " +
            $"over {sizes.Extensions + sizes.Tenants:N0} dialplan rows took {clock.Elapsed.TotalSeconds:0.00} s.";
    }

    public static async Task CompareAsync<T>(Report report, int runs, string page, Func<Task<T>> portal, string rawSql, bool target = true, string note = "shown for comparison (explicit slow option)")
    {
        var ours = await Measure.TimeAsync(portal, runs);
        var raw = await Measure.TimeAsync(() => Raw.QueryAsync(rawSql), runs);
        report.Row(page, Report.Ms(ours), Report.Ms(raw), target ? report.Check(ours.Median <= TargetMs, $"{ours.Median:0.00} ms") : note);
    }
}
