using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MySqlConnector;
using Portal.BrowserTests;
using Portal.IntegrationTests;

namespace Portal.Benchmarks;

/// <summary>
/// The portal as a user meets it, in Debian's Chromium: pages end to end beside phpMyAdmin's figures, 200 signed-in
/// sessions browsing and toggling (server memory, toggle p99), and the heartbeat lag against injected stalls.
/// </summary>
public static partial class Browser
{
    /// <param name="section">null for all three; "pages" or "lag" for that one alone.</param>
    public static async Task RunAsync(Sizes sizes, int runs, bool tiny, string? section, Report report)
    {
        // The lag figures use a 100 ms heartbeat read every 50 ms (the defaults are 200 ms and 100 ms).
        Environment.SetEnvironmentVariable("Replication__HeartbeatInterval", "00:00:00.100");
        Environment.SetEnvironmentVariable("Replication__PollInterval", "00:00:00.050");
        var portal = new PortalServer();
        await portal.InitializeAsync();
        try
        {
            if (section is null or "pages")
            {
                await PagesAsync(portal, sizes, runs, report);
            }
            if (section is null)
            {
                await Sessions.RunAsync(portal, tiny ? 5 : 200, tiny ? 10 : 100, report);
            }
            if (section is null or "lag")
            {
                await LagAsync(portal, tiny ? [1.0] : [1.0, 2.0, 3.0, 1.0, 2.0, 3.0], report);
            }
        }
        finally
        {
            await portal.DisposeAsync();
        }
    }

    /// <summary>
    /// The pages of issue 8's table, each reached two ways: inside the running portal (a click in the menu, in-app
    /// navigation to a link, or the search box, as users move between pages) and a full page load (HTML,
    /// scripts, a new circuit, whatever the page loads after), until the first row of the expected data is in the DOM.
    /// The clock is the browser's own (<see cref="RowWatch"/>): from the click or the navigation's start, so that the
    /// figure holds everything the user waits for and nothing of Playwright's.
    /// </summary>
    private static async Task PagesAsync(PortalServer portal, Sizes sizes, int runs, Report report)
    {
        var context = Sizes.Context(sizes.Contexts * 42 / 100);
        var deep = $"p{sizes.Peers * 9 / 10:000000}";
        var user = $"User {4242 % sizes.Peers}";
        var operatorPage = await portal.SignInAsync("operator@example.test");
        var tenantPage = await portal.SignInAsync("admin@company-a.test");
        await operatorPage.AddInitScriptAsync(RowWatch);
        await tenantPage.AddInitScriptAsync(RowWatch);
        await using var phpMyAdmin = await PhpMyAdmin.StartAsync();
        var pmaPage = await (await portal.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 } })).NewPageAsync();
        await pmaPage.AddInitScriptAsync(RowWatch);
        await pmaPage.GotoAsync(PhpMyAdmin.SqlPage("sip"));
        report.Table("Pages end to end in Chromium, until the first row of the expected data is in the DOM, beside phpMyAdmin 5.2.1 on the same data in the same run (ms, min / median / p95)",
            "page", "portal: in the portal", "portal: full page load", "portal: its server alone", "phpMyAdmin: SQL box + Go", "phpMyAdmin: full page load", "phpMyAdmin: its server alone", "issue's phpMyAdmin figure", "target: faster than phpMyAdmin");
        using var operatorHttp = await HttpOfAsync(portal, operatorPage);
        using var tenantHttp = await HttpOfAsync(portal, tenantPage);

        var pages = new PageCase[]
        {
            new("peers, first page of 25", operatorPage, "[data-testid=peer-link]", null, 40.8,
                "/", "menu click", p => MenuClickAsync(p, "sip-peers"), "/sip-peers",
                "sip", "SELECT * FROM sip", null),
            new($"peers, from {deep} (row {sizes.Peers * 9 / 10:N0} on, keyset URL)", operatorPage, "[data-testid=peer-link]", deep, 97.2,
                "/", "link", p => NavigateAsync(p, $"/sip-peers?from={deep}"), $"/sip-peers?from={deep}",
                "sip", $"SELECT * FROM sip LIMIT {sizes.Peers * 9 / 10},25", null),
            new($"peers, search \"{user}\"", operatorPage, "[data-testid=peers] tbody tr", user, 103.7,
                "/sip-peers", "search box + Enter", p => SearchAsync(p, user), $"/sip-peers?search={Uri.EscapeDataString(user)}",
                "sip", $"SELECT * FROM sip WHERE callerid LIKE '%{user}%'", user),
            new($"dialplan of context {context}, first page", operatorPage, "[data-testid=extension]", null, 23.3,
                "/", "link", p => NavigateAsync(p, $"/dialplan/context/{context}"), $"/dialplan/context/{context}",
                "extensions", $"SELECT * FROM extensions WHERE context = '{context}'", context),
            new("PINs of one company (tenant admin), first page", tenantPage, "[data-testid^=pin-code-]", null, 22.1,
                "/", "menu click", p => MenuClickAsync(p, "pins"), "/pins",
                "pins", "SELECT * FROM pins WHERE company = 'company-a'", "company-a"),
        };
        foreach (var c in pages)
        {
            Figures inApp, load, server, pmaGo, pmaLoad, pmaServer;
            try
            {
                inApp = await Measure.TimeAsync(() => InAppAsync(c), runs);
                load = await Measure.TimeAsync(() => FullLoadAsync(c), runs);
                server = await Measure.TimeAsync(() => ServeAsync(c.Page == tenantPage ? tenantHttp : operatorHttp, c), runs);
                pmaGo = await Measure.TimeAsync(() => PhpMyAdminGoAsync(pmaPage, c), runs);
                pmaLoad = await Measure.TimeAsync(() => PhpMyAdminLoadAsync(pmaPage, c), runs);
                pmaServer = await Measure.TimeAsync(() => phpMyAdmin.ServeAsync(c.PmaTable, c.PmaSql), runs);
            }
            catch (TimeoutException)
            {
                report.Row(c.Name, "the page did not show the row", "", "", "", "", "", c.PhpMyAdmin.ToString("0.0", CultureInfo.InvariantCulture), report.Check(false, "not offered"));
                continue;
            }
            var slowest = Math.Max(inApp.Median, load.Median);
            report.Row(c.Name, $"{Report.Ms(inApp)} ({c.InAppHow})", Report.Ms(load), Report.Ms(server), Report.Ms(pmaGo), Report.Ms(pmaLoad), Report.Ms(pmaServer),
                c.PhpMyAdmin.ToString("0.0", CultureInfo.InvariantCulture),
                report.Check(slowest < Math.Min(pmaGo.Median, pmaLoad.Median),
                    $"in Chromium, portal {inApp.Median:0.0} / {load.Median:0.0} ms, phpMyAdmin {pmaGo.Median:0.0} / {pmaLoad.Median:0.0} ms; " +
                    $"servers alone, portal {server.Median:0.0} ms, phpMyAdmin {pmaServer.Median:0.0} ms"));
        }
        await pmaPage.Context.CloseAsync();
        await operatorPage.Context.CloseAsync();
        await tenantPage.Context.CloseAsync();
    }

    /// <summary>
    /// One page of the table: how to reach it in the portal (from <see cref="PageCase.Start"/>: home, or the peers page
    /// for its search box) and by URL, and which row shows it arrived.
    /// </summary>
    /// <param name="PmaSql">The same page in phpMyAdmin: the query a person types, phpMyAdmin adding its LIMIT 0, 25.</param>
    /// <param name="PmaText">Text the first result row of phpMyAdmin must hold, as <see cref="RowText"/> for the portal.</param>
    private sealed record PageCase(
        string Name, IPage Page, string RowSelector, string? RowText, double PhpMyAdmin,
        string Start, string InAppHow, Func<IPage, Task> InApp, string Url,
        string PmaTable, string PmaSql, string? PmaText);

    /// <summary>
    /// Runs in every document before its own scripts: once a row matching the selector and text stored by
    /// <see cref="WatchAsync"/> is in the DOM, records <c>performance.now()</c> (from the navigation's start in a new
    /// document; <c>__benchStart</c> moves the origin to a click). A row that a later render removes again does not count.
    /// </summary>
    private const string RowWatch = """
        (() => {
            const spec = JSON.parse(sessionStorage.getItem('bench-watch') || 'null');
            window.__benchStart = 0;
            window.__benchRow = null;
            if (!spec) return;
            const matches = () => [...document.querySelectorAll(spec.selector)].some(e => !spec.text || e.textContent.includes(spec.text));
            const check = () => {
                if (window.__benchRow === null && matches()) window.__benchRow = performance.now();
                else if (window.__benchRow !== null && !matches()) window.__benchRow = null;
            };
            new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
            window.__benchWatch = (selector, text) => {
                spec.selector = selector; spec.text = text;
                window.__benchRow = null;
                window.__benchStart = performance.now();
            };
        })();
        """;

    private static Task WatchAsync(IPage page, PageCase c) =>
        page.EvaluateAsync("s => sessionStorage.setItem('bench-watch', JSON.stringify(s))", new { selector = c.RowSelector, text = c.RowText });

    /// <summary>From the start page, in the same circuit: a click, in-app navigation or the search box.</summary>
    private static async Task<double> InAppAsync(PageCase c)
    {
        var page = c.Page;
        await WatchAsync(page, c with { RowSelector = "[data-never]" });
        await page.GotoAsync(c.Start);
        await PortalServer.WaitForCircuitAsync(page);
        await page.Locator(c.Start == "/" ? "[data-testid=nav]" : "[data-testid=peer-link]").First.WaitForAsync();
        await page.EvaluateAsync("([s, t]) => window.__benchWatch(s, t)", new[] { c.RowSelector, c.RowText });
        await c.InApp(page);
        return await RowShownAsync(page);
    }

    private static async Task<double> FullLoadAsync(PageCase c)
    {
        var page = c.Page;
        await WatchAsync(page, c);
        await page.GotoAsync(c.Url, new() { WaitUntil = WaitUntilState.Commit });
        return await RowShownAsync(page);
    }

    /// <summary>HTTP with the page's signed-in cookie, for the portal's share of a page load.</summary>
    private static async Task<HttpClient> HttpOfAsync(PortalServer portal, IPage page)
    {
        var http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(portal.BaseUrl) };
        var cookies = await page.Context.CookiesAsync();
        http.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        return http;
    }

    /// <summary>
    /// The page's whole HTML as the portal serves it to a new visit: prerendered with the first page of its data, as the
    /// browser shows it before the page's scripts start.
    /// </summary>
    private static async Task<double> ServeAsync(HttpClient http, PageCase c)
    {
        var started = Stopwatch.GetTimestamp();
        var html = await http.GetStringAsync(c.Url);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var mark = TestId().Match(c.RowSelector).Groups[1].Value;
        if (!html.Contains($"data-testid=\"{mark}") || (c.RowText is not null && !html.Contains(c.RowText)))
        {
            throw new InvalidOperationException($"The portal's HTML of {c.Url} has no row of {c.RowSelector} {c.RowText}.");
        }
        return elapsed;
    }

    [GeneratedRegex(@"data-testid\^?=([\w-]+)")]
    private static partial Regex TestId();

    /// <summary>phpMyAdmin's SQL box on the table's SQL page, its Go button, until its script has put the first row in.</summary>
    private static async Task<double> PhpMyAdminGoAsync(IPage page, PageCase c)
    {
        await WatchAsync(page, c with { RowSelector = "[data-never]" });
        await page.GotoAsync(PhpMyAdmin.SqlPage(c.PmaTable));
        await page.Locator("#button_submit_query").WaitForAsync();
        await page.EvaluateAsync("([s, t]) => window.__benchWatch(s, t)", new[] { PhpMyAdminRow, c.PmaText });
        await PhpMyAdmin.TypeAndGoAsync(page, c.PmaSql);
        return await RowShownAsync(page);
    }

    /// <summary>phpMyAdmin's result page as a new document, posted from its SQL page.</summary>
    private static async Task<double> PhpMyAdminLoadAsync(IPage page, PageCase c)
    {
        await WatchAsync(page, c with { RowSelector = PhpMyAdminRow, RowText = c.PmaText });
        // The old document may hold a row of its own: marked, it cannot answer for the new one.
        await page.EvaluateAsync("() => window.__benchStale = true");
        await PhpMyAdmin.SubmitAsync(page, c.PmaTable, c.PmaSql);
        await page.WaitForFunctionAsync("() => !window.__benchStale", null, new() { Timeout = 30_000 });
        return await RowShownAsync(page);
    }

    private const string PhpMyAdminRow = "table.table_results tbody tr";

    /// <summary>Waits until the row has stayed in the DOM for a moment (a flicker does not count) and returns its time.</summary>
    private static async Task<double> RowShownAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.__benchRow !== null", null, new() { Timeout = 30_000 });
        await page.WaitForTimeoutAsync(50);
        await page.WaitForFunctionAsync("() => window.__benchRow !== null", null, new() { Timeout = 30_000 });
        return await page.EvaluateAsync<double>("() => window.__benchRow - window.__benchStart");
    }

    private static Task MenuClickAsync(IPage page, string href) =>
        page.EvaluateAsync("href => document.querySelector(`[data-testid=nav] a[href='${href}']`).click()", href);

    private static Task NavigateAsync(IPage page, string url) => page.EvaluateAsync("u => Blazor.navigateTo(u)", url);

    /// <summary>On the peers page: types the search as one input and presses Enter, which searches without the debounce.</summary>
    private static Task SearchAsync(IPage page, string text) =>
        page.EvaluateAsync("""
            text => {
                const input = document.querySelector('input[data-testid=peer-search], [data-testid=peer-search] input');
                input.value = text;
                input.dispatchEvent(new Event('input', { bubbles: true }));
                input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
            }
            """, text);

    /// <summary>
    /// Stops replica1's SQL thread for a known time and reads the portal's lag (from /metrics) just before starting it
    /// again: the true lag then is the time since the stop. Then how long until the portal reads 0 again.
    /// </summary>
    private static async Task LagAsync(PortalServer portal, double[] stalls, Report report)
    {
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        await using var root = new MySqlConnection(TestCluster.RootConnectionString("replica1"));
        await root.OpenAsync();
        report.Table("Heartbeat lag against injected stalls (replica1's SQL thread stopped)", "stall", "portal's lag just before restart", "error", "back to 0 after restart", "target: error at most 100 ms");
        foreach (var stall in stalls)
        {
            await ExecuteAsync(root, "STOP SLAVE SQL_THREAD");
            var stopped = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(stall));
            var lag = await LagAsync(http);
            var truth = Stopwatch.GetElapsedTime(stopped).TotalSeconds;
            await ExecuteAsync(root, "START SLAVE SQL_THREAD");
            var restarted = Stopwatch.GetTimestamp();
            while (await LagAsync(http) > 0 && Stopwatch.GetElapsedTime(restarted) < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(10);
            }
            var recovered = Stopwatch.GetElapsedTime(restarted).TotalMilliseconds;
            var error = Math.Abs(lag - truth) * 1000;
            report.Row($"{stall:0} s", $"{lag * 1000:0} ms (true {truth * 1000:0} ms)", $"{error:0} ms", $"{recovered:0} ms", report.Check(error <= 100, $"{error:0} ms"));
            await Task.Delay(500);
        }
    }

    private static async Task<double> LagAsync(HttpClient http)
    {
        var metrics = await http.GetStringAsync("/metrics");
        return double.Parse(LagOfReplica1().Match(metrics).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""portal_replica_lag_seconds\{replica="replica1"\} ([0-9.eE+-]+)""")]
    private static partial Regex LagOfReplica1();

    private static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
