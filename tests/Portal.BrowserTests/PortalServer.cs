using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Portal.IntegrationTests;

namespace Portal.BrowserTests;

/// <summary>
/// The portal as a user meets it: the built Portal.Web started as its own process against the test cluster, with
/// the demo seeded, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class PortalServer : IAsyncLifetime
{
    public const string DemoPassword = "Browser-Demo-2026";

    private Process? server;
    private readonly StringBuilder log = new();

    public static int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("PORTAL_TEST_PORT") ?? "5181");

    public string BaseUrl { get; } = $"http://127.0.0.1:{Port}";

    /// <summary>
    /// How long expectations, clicks and page loads wait for what must happen: as long as a machine busy with other
    /// work needs. Playwright's 5 s for expectations failed with the portal right but slow, and with two CPU-bound
    /// processes beside a loaded machine a page load took over 30 s.
    /// </summary>
    public const float Patience = 60_000;

    public IPlaywright Playwright { get; private set; } = default!;

    /// <summary>The portal's process, for the benchmarks' memory figures.</summary>
    public int ServerProcessId => server?.Id ?? 0;

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Whether /metrics shows the open circuits (the sessions benchmark reads them; off by default, as in production).</summary>
    public bool SessionMetrics { get; init; }

    /// <summary>The portal's /metrics, as a monitoring system scrapes it (no sign-in).</summary>
    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        return await http.GetStringAsync("/metrics");
    }

    /// <summary>One sample of a /metrics scrape, by its name with its labels as written; NaN when the scrape has none.</summary>
    public static double Sample(string metrics, string name)
    {
        var match = Regex.Match(metrics, $"^{Regex.Escape(name)} ([0-9.eE+-]+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
    }

    public string ServerLog
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    public static string WebOutput
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug";
            return Path.Combine(TestCluster.Repo, "src", "Portal.Web", "bin", configuration, "net10.0");
        }
    }

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(Patience);
        await RunToEndAsync("seed-demo");
        // The asterisk account's column grants need the tables the migrations just made (a phone's RealTimeUpdate).
        await TestCluster.ClusterAsync("grants");
        await RunToEndAsync("create-operator", "locked@example.test");
        await RunToEndAsync("create-operator", "changer@example.test");
        await RunToEndAsync("create-operator", "totp@example.test");
        server = Start("--urls", BaseUrl);
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if ((await http.GetAsync(BaseUrl + "/Account/Login")).IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !server.HasExited)
            {
            }
            if (DateTime.UtcNow > deadline || server.HasExited)
            {
                throw new InvalidOperationException("The portal did not start:\n" + ServerLog);
            }
            await Task.Delay(250);
        }
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(ChromiumOptions());
    }

    /// <summary>Debian's Chromium as the tests and benchmarks start it; <paramref name="executable"/> may be a wrapper that runs it.</summary>
    public static BrowserTypeLaunchOptions ChromiumOptions(string executable = "/usr/bin/chromium") => new()
    {
        ExecutablePath = executable,
        Headless = true,
        // Root in a sandbox-less container, and a closed network: no background connections.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    };

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        Playwright?.Dispose();
        if (server is { HasExited: false })
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>A fresh browser context (its own cookies), signed in as the given user and with the circuit up.</summary>
    public async Task<IPage> SignInAsync(string email, string? password = null)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(Patience);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", password ?? DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/Account/Login"));
        try
        {
            await WaitForCircuitAsync(page);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nThe portal's log:\n{ServerLog}", e);
        }
        return page;
    }

    /// <summary>Blazor Server pages are prerendered; clicks do nothing until the circuit is up.</summary>
    public static Task WaitForCircuitAsync(IPage page) =>
        page.Locator("[data-testid=circuit][data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Types into a tenant field (a search-as-you-type of the tenant keys) and picks one of the keys it offers.</summary>
    public static async Task PickTenantAsync(IPage page, string testId, string typed, string key)
    {
        await page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").FillAsync(typed);
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasTextString = key }).First.ClickAsync();
    }

    private Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = WebOutput, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(WebOutput, "Portal.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var database = TestCluster.Database();
        start.Environment["Database__Master"] = database.Master;
        start.Environment["Database__Migrator"] = database.Migrator;
        for (var i = 0; i < TestCluster.Replicas.Length; i++)
        {
            start.Environment[$"Replication__Replicas__{i}__Name"] = TestCluster.Replicas[i];
            start.Environment[$"Replication__Replicas__{i}__Port"] = (TestCluster.Port + i + 1).ToString();
        }
        start.Environment["PORTAL_DEMO_PASSWORD"] = DemoPassword;
        start.Environment["PORTAL_OPERATOR_PASSWORD"] = DemoPassword;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Metrics__SessionCounts"] = SessionMetrics ? "true" : "false";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task RunToEndAsync(params string[] args)
    {
        using var process = Start(args);
        await process.WaitForExitAsync();
        if (process.ExitCode != 0 && !ServerLog.Contains("is already taken"))
        {
            throw new InvalidOperationException($"Portal.Web {string.Join(' ', args)} failed:\n{ServerLog}");
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalServer>
{
    public const string Name = "portal";
}
