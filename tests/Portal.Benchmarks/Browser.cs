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
        var operatorPage = await portal.SignInAsync("operator@example.test");
        var tenantPage = await portal.SignInAsync("admin@company-a.test");
        await operatorPage.AddInitScriptAsync(RowWatch);
        await tenantPage.AddInitScriptAsync(RowWatch);
        report.Table("Pages end to end in Chromium, until the first row of the expected data is in the DOM (ms, min / median / p95)",
            "page", "in the portal", "full page load", "phpMyAdmin (the issue's figure)", "target: faster");

        var pages = new PageCase[]
        {
            new("peers, first page of 25", operatorPage, "[data-testid=peer-link]", null, 40.8,
                "/", "menu click", p => MenuClickAsync(p, "sip-peers"), "/sip-peers"),
            new($"peers, from {deep} (row {sizes.Peers * 9 / 10:N0} on, keyset URL)", operatorPage, "[data-testid=peer-link]", deep, 97.2,
                "/", "link", p => NavigateAsync(p, $"/sip-peers?from={deep}"), $"/sip-peers?from={deep}"),
            new("peers, search \"User 4242\"", operatorPage, "[data-testid=peers] tbody tr", "User 4242", 103.7,
                "/sip-peers", "search box + Enter", SearchAsync, "/sip-peers?search=User%204242"),
            new($"dialplan of context {context}, first page", operatorPage, "[data-testid=extension]", null, 23.3,
                "/", "link", p => NavigateAsync(p, $"/dialplan/context/{context}"), $"/dialplan/context/{context}"),
            new("PINs of one company (tenant admin), first page", tenantPage, "[data-testid^=pin-code-]", null, 22.1,
                "/", "menu click", p => MenuClickAsync(p, "pins"), "/pins"),
        };
        foreach (var c in pages)
        {
            Figures inApp, load;
            try
            {
                inApp = await Measure.TimeAsync(() => InAppAsync(c), runs);
                load = await Measure.TimeAsync(() => FullLoadAsync(c), runs);
            }
            catch (TimeoutException)
            {
                report.Row(c.Name, "the page did not show the row", "", c.PhpMyAdmin.ToString("0.0", CultureInfo.InvariantCulture), report.Check(false, "not offered"));
                continue;
            }
            report.Row(c.Name, $"{Report.Ms(inApp)} ({c.InAppHow})", Report.Ms(load), c.PhpMyAdmin.ToString("0.0", CultureInfo.InvariantCulture),
                report.Check(inApp.Median < c.PhpMyAdmin && load.Median < c.PhpMyAdmin,
                    $"in the portal {inApp.Median:0.0} ms, full load {load.Median:0.0} ms"));
        }
        await operatorPage.Context.CloseAsync();
        await tenantPage.Context.CloseAsync();
    }

    /// <summary>
    /// One page of the table: how to reach it in the portal (from <see cref="PageCase.Start"/>: home, or the peers page
    /// for its search box) and by URL, and which row shows it arrived.
    /// </summary>
    private sealed record PageCase(
        string Name, IPage Page, string RowSelector, string? RowText, double PhpMyAdmin,
        string Start, string InAppHow, Func<IPage, Task> InApp, string Url);

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
    private static Task SearchAsync(IPage page) =>
        page.EvaluateAsync("""
            () => {
                const input = document.querySelector('input[data-testid=peer-search], [data-testid=peer-search] input');
                input.value = 'User 4242';
                input.dispatchEvent(new Event('input', { bubbles: true }));
                input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true }));
            }
            """);

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
