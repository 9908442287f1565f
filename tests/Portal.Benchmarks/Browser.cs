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
    public static async Task RunAsync(Sizes sizes, int runs, bool tiny, Report report)
    {
        // The lag figures use a 100 ms heartbeat read every 50 ms (the defaults are 200 ms and 100 ms).
        Environment.SetEnvironmentVariable("Replication__HeartbeatInterval", "00:00:00.100");
        Environment.SetEnvironmentVariable("Replication__PollInterval", "00:00:00.050");
        var portal = new PortalServer();
        await portal.InitializeAsync();
        try
        {
            await PagesAsync(portal, sizes, runs, report);
            await Sessions.RunAsync(portal, tiny ? 5 : 200, tiny ? 10 : 100, report);
            await LagAsync(portal, tiny ? [1.0] : [1.0, 2.0, 3.0, 1.0, 2.0, 3.0], report);
        }
        finally
        {
            await portal.DisposeAsync();
        }
    }

    /// <summary>
    /// Navigation to a rendered grid, two ways: inside the running portal (a click in the menu, as users move between
    /// pages), and a full page load (HTML, scripts, a new circuit, then the grid's data), until the first row shows.
    /// </summary>
    private static async Task PagesAsync(PortalServer portal, Sizes sizes, int runs, Report report)
    {
        var page = await portal.SignInAsync("operator@example.test");
        report.Table("Pages end to end in Chromium, until the grid's first row shows (ms, min / median / p95)", "page", "in the portal (menu click)", "full page load", "phpMyAdmin (the issue's figure)", "target: faster");
        async Task PageAsync(string name, string url, string menu, string rowSelector, double phpMyAdmin)
        {
            var click = await Measure.TimeAsync(async () =>
            {
                await page.GetByRole(AriaRole.Link, new() { Name = "Home", Exact = true }).ClickAsync();
                await page.GetByTestId("tile-peers").WaitForAsync();
                var start = Stopwatch.GetTimestamp();
                await page.GetByRole(AriaRole.Link, new() { Name = menu, Exact = true }).ClickAsync();
                await page.Locator(rowSelector).First.WaitForAsync(new() { Timeout = 30_000 });
                return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }, runs);
            var load = await Measure.TimeAsync(async () =>
            {
                await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
                await page.Locator(rowSelector).First.WaitForAsync(new() { Timeout = 30_000 });
            }, runs);
            report.Row(name, Report.Ms(click), Report.Ms(load), phpMyAdmin.ToString("0.0", CultureInfo.InvariantCulture),
                report.Check(click.Median < phpMyAdmin, $"in the portal {click.Median:0.0} ms") + $"; full load {(load.Median < phpMyAdmin ? "faster" : "slower")}");
        }
        await PageAsync("peers, first page of 25", "/sip-peers", "SIP peers", "[data-testid=peer-link]", 40.8);
        await page.CloseAsync();
    }

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
