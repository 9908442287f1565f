using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests;

namespace Portal.Benchmarks;

/// <summary>
/// Many signed-in users at once, each a real Chromium page with its own Blazor circuit: most sit on the home page
/// watching their office-closed switch, a few move between list pages the whole time, and sessions of company A take
/// turns to flip its switch. Figures: the portal's resident memory with every circuit open, and each flip from the
/// click until the clicker's page shows it live on every replica (and until other watchers show it).
/// </summary>
/// <remarks>
/// The users whose flips are timed (<see cref="Measured"/> of company A's watchers) have a browser of their own at
/// normal CPU priority; everybody else's tabs share a second Chromium scheduled as SCHED_IDLE. In production each
/// user's browser runs on their own machine. Here all of them share the portal's 2 cores, and at equal priority the
/// other users' tabs took 85% of them: the portal and the timed user's own tab then queued behind other people's page
/// renders, which no deployment would do. SCHED_IDLE rather than nice: Chromium, running as root, raises its own
/// threads' nice values (to -8 for its browser process), which undid nice 19. And its session's scheduling group at nice
/// 19: Playwright starts each browser in a session of its own, and Linux (autogroup) shares the CPU fairly between
/// sessions before it looks at any thread's policy, so the idle browser's session had as large a share as the portal's.
/// Then the portal's garbage collector, one thread that stops the whole portal, got half a core: collections of 30-50
/// ms of CPU took 150-350 ms. Idle-scheduled, the others still get every cycle the portal, the database and the timed
/// tabs leave, so they load the portal as before.
/// </remarks>
public static class Sessions
{
    private const string Watched = "company-a";

    private const int TabsPerContext = 10;

    /// <summary>
    /// Company A's watchers in the normal-priority browser: they take turns to flip, and watch each other's flips (a
    /// clicker and 5 watchers). No more: every tab there redraws every flip at normal priority, and with 20 of them the
    /// clicker's tab waited for the CPU behind the others' (10-34 ms run-queue waits, over and over, while their
    /// renderers used 221 ms of CPU in the 200 ms after a click). On their own machines users' tabs do not queue
    /// behind each other; the other tabs, here at idle priority, still load the portal the same.
    /// </summary>
    private const int Measured = 6;

    private static readonly TimeSpan IdleSample = TimeSpan.FromSeconds(10);

    /// <summary>Opening one page under load: a new circuit on 2 cores shared with the browser.</summary>
    private static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(90);

    /// <summary>One flip, until every page that waits for it shows it.</summary>
    private static readonly TimeSpan FlipTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a waiting page checks its DOM. Not on animation frames (Playwright's default): Chromium runs those
    /// rarely in a tab that is not in front, and most of the tabs here are not, so a change would be seen up to a
    /// second late. Timers are not throttled (Playwright starts Chromium without background timer throttling).
    /// </summary>
    private const int Poll = 5;

    private sealed record Session(string User, IPage Page, bool Browses, bool Measured);

    /// <summary>Only this benchmark (<c>--only sessions</c>), on a portal of its own with the default settings.</summary>
    public static async Task RunAloneAsync(int sessions, int flips, Report report)
    {
        var portal = new PortalServer { SessionMetrics = true };
        await portal.InitializeAsync();
        try
        {
            await RunAsync(portal, sessions, flips, report);
        }
        finally
        {
            await portal.DisposeAsync();
        }
    }

    public static async Task RunAsync(PortalServer portal, int sessions, int flips, Report report)
    {
        // A sign-in is a password hash and a round of redirects: once per user, then every session gets its own
        // browser context (its own cookie jar and circuit) with the signed-in cookie, as a user's second tab would.
        var users = new[] { $"admin@{Watched}.test", "admin@company-b.test", "operator@example.test" };
        var states = new Dictionary<string, string>();
        foreach (var user in users)
        {
            var signedIn = await portal.SignInAsync(user);
            states[user] = await signedIn.Context.StorageStateAsync();
            await signedIn.Context.CloseAsync();
        }

        // About 80% watch company A's switch, 10% company B's (isolation: they must never see A's), 10% browse lists.
        var watchersOfA = 0;
        var plan = Enumerable.Range(0, sessions).Select(i => (i % 10) switch
        {
            8 => (User: "admin@company-b.test", Browses: i % 20 == 8, Measured: false),
            9 => (User: i % 20 == 9 ? "operator@example.test" : $"admin@{Watched}.test", Browses: true, Measured: false),
            _ => (User: $"admin@{Watched}.test", Browses: false, Measured: watchersOfA++ < Measured),
        }).ToList();

        await using var others = await LaunchOthersBrowserAsync(portal);
        // The load generator itself (this program and Playwright's driver, which carries every tab's protocol traffic)
        // is not on the portal's machine in production either; the flips are timed inside the pages, not by it.
        var generator = ChildrenNamed(Environment.ProcessId, "node").Prepend(Environment.ProcessId).ToList();
        generator.ForEach(pid => Schedule(pid, idle: true));
        try
        {
            await RunSessionsAsync(portal, sessions, flips, report, plan, states, others);
        }
        finally
        {
            // The benchmarks after this one time things from here.
            generator.ForEach(pid => Schedule(pid, idle: false));
        }
    }

    private static async Task RunSessionsAsync(PortalServer portal, int sessions, int flips, Report report,
        List<(string User, bool Browses, bool Measured)> plan, Dictionary<string, string> states, IBrowser others)
    {
        // Ten tabs per browser context: each tab its own circuit, the context's cookie and HTTP cache shared, as a
        // user with several tabs has them. A context per session costs Chromium a renderer and a cold cache each.
        var contexts = new Dictionary<(string User, bool Measured, int Group), Task<IBrowserContext>>();
        var tabs = plan.Select((p, i) =>
        {
            var group = (p.User, p.Measured, plan.Take(i).Count(q => q.User == p.User && q.Measured == p.Measured) / TabsPerContext);
            lock (contexts)
            {
                if (!contexts.TryGetValue(group, out var context))
                {
                    contexts[group] = context = (p.Measured ? portal.Browser : others).NewContextAsync(new() { BaseURL = portal.BaseUrl, StorageState = states[p.User], ViewportSize = new() { Width = 1400, Height = 900 } });
                }
                return context;
            }
        }).ToList();
        var opened = new Session[sessions];
        var clock = Stopwatch.StartNew();
        var count = 0;
        // A handful at a time: each page load is a prerender, the scripts, a WebSocket and a second render.
        using (var gate = new SemaphoreSlim(8))
        {
            await Task.WhenAll(plan.Select(async (p, i) =>
            {
                await gate.WaitAsync();
                try
                {
                    opened[i] = new Session(p.User, await OpenAsync(await tabs[i], p.User), p.Browses, p.Measured);
                    if (Interlocked.Increment(ref count) % 25 == 0)
                    {
                        Console.Error.WriteLine($"  {count} sessions open after {clock.Elapsed.TotalSeconds:0} s");
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        var openTime = clock.Elapsed;
        var all = opened.ToList();
        var circuits = await MetricAsync(portal, "portal_circuits_open");
        if (circuits < sessions)
        {
            throw new InvalidOperationException($"{sessions} sessions opened but the portal counts {circuits} circuits: some pages lost theirs.");
        }

        // Tenant isolation under load: company B's pages list their own switch only.
        foreach (var b in all.Where(s => s.User == "admin@company-b.test" && !s.Browses).Take(3))
        {
            if (await b.Page.GetByTestId($"office-toggle-{Watched}").CountAsync() != 0)
            {
                throw new InvalidOperationException($"A session of company-b sees {Watched}'s switch.");
            }
        }

        // Idle with every circuit open: what the sessions cost by themselves, after the startup churn settled.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idleMemory = ResidentMegabytes(portal.ServerProcessId);
        var idleHeap = await MetricAsync(portal, "dotnet_gc_heap_bytes") / 1024 / 1024;
        // What open pages cost while nobody does anything: the watch's rounds and whatever the pages redraw.
        var idleCpuBefore = Cpu.Sample(portal.ServerProcessId);
        await Task.Delay(IdleSample);
        var idleCpu = Cpu.Sample(portal.ServerProcessId) - idleCpuBefore;

        using var browsing = new CancellationTokenSource();
        var browsers = all.Where(s => s.Browses).Select(s => BrowseAsync(s, browsing.Token)).ToList();
        var flippers = all.Where(s => s.Measured).ToList();
        var clicks = new List<double>();
        var fanOut = new List<double>();
        Session? clicker = null;
        var refusals = 0;
        var state = await flippers[0].Page.GetByTestId($"office-toggle-{Watched}").GetAttributeAsync("data-state");
        var cpuBefore = Cpu.Sample(portal.ServerProcessId);
        var pausedBefore = await MetricAsync(portal, "dotnet_gc_pause_seconds_total");
        var flipping = Stopwatch.StartNew();
        try
        {
            // Flip -1 warms up, untimed: the first flip after start-up compiles the flip's code (about a second).
            for (var i = -1; i < flips; i++)
            {
                // Under this much load the portal's master probe can miss its 1 s and turn the portal read-only for a
                // moment, refusing writes as it should: a flip then waits for the master to be back.
                await MasterUpAsync(portal);
                clicker = flippers[Random.Shared.Next(flippers.Count)];
                // The clicker must show the current state before clicking, or its click would set the same value.
                await ShowsAsync(clicker.Page, state!, "before its click");
                var after = state == "on" ? "off" : "on";
                var watchers = flippers.Where(f => f != clicker).OrderBy(_ => Random.Shared.Next()).Take(5).ToList();
                // Timed in the pages themselves, from the click to the DOM change (a MutationObserver): what a user
                // sees, without the driver's own round trips or its waits for animation frames.
                await Task.WhenAll(watchers.Select(w => w.Page.EvaluateAsync(ArmWatcher, new object[] { Watched, after, FlipTimeout.TotalMilliseconds })));
                var clicked = await clicker.Page.EvaluateAsync<double[]>(ClickUntilLive, new object[] { Watched, FlipTimeout.TotalMilliseconds });
                if (clicked[1] < 0)
                {
                    if (++refusals > 20)
                    {
                        throw new InvalidOperationException($"{refusals} flips refused: the portal kept finding the master down under the load.");
                    }
                    await clicker.Page.ReloadAsync();
                    await PortalServer.WaitForCircuitAsync(clicker.Page);
                    await clicker.Page.GetByTestId("office-toggles").WaitForAsync(new() { Timeout = (float)OpenTimeout.TotalMilliseconds });
                    i--;
                    continue;
                }
                var seen = await Task.WhenAll(watchers.Select(w => w.Page.EvaluateAsync<double>("() => window.__portalSeen")));
                if (i >= 0)
                {
                    clicks.Add(clicked[1]);
                    fanOut.Add(seen.Max() - clicked[0]);
                }
                state = after;
                // A user looks before the next click, as the browsing users do between pages.
                await Task.Delay(TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(2000)));
            }
        }
        catch (PlaywrightException e)
        {
            var shows = clicker is null ? "" : await clicker.Page.GetByTestId($"office-toggle-{Watched}").InnerTextAsync(new() { Timeout = 5_000 });
            var log = string.Join('\n', portal.ServerLog.Split('\n').TakeLast(20));
            throw new TimeoutException($"Flip {clicks.Count + 1} of {flips} did not show within {FlipTimeout.TotalSeconds:0} s with {sessions} sessions open: {e.Message}\n" +
                $"The clicker's page shows:\n{shows}\nThe portal's log ends:\n{log}", e);
        }
        finally
        {
            await browsing.CancelAsync();
        }
        var cpu = Cpu.Sample(portal.ServerProcessId) - cpuBefore;
        var flipTime = flipping.Elapsed;
        var metrics = await portal.MetricsAsync();
        var serverFanOut = Milliseconds(metrics, "portal_toggle_fanout_seconds", "0.5", "0.95", "0.99", "1");
        var fanOutRenders = PortalServer.Sample(metrics, "portal_toggle_fanout_renders_total");
        var serverFlips = Milliseconds(metrics, "portal_toggle_flip_seconds", "0.5", "0.95", "0.99");
        var flipsTimed = PortalServer.Sample(metrics, "portal_toggle_flips_live_total");
        var paused = PortalServer.Sample(metrics, "dotnet_gc_pause_seconds_total") - pausedBefore;
        var watchRounds = Milliseconds(metrics, "portal_office_watch_round_seconds", "0.5", "0.99", "1");
        var browsed = (await Task.WhenAll(browsers)).SelectMany(n => n).ToList();
        var navigations = browsed.Where(t => t >= 0).ToList();
        var stuck = browsed.Count - navigations.Count;
        var busyMemory = ResidentMegabytes(portal.ServerProcessId);
        var busyHeap = await MetricAsync(portal, "dotnet_gc_heap_bytes") / 1024 / 1024;

        var p99 = Figures.Percentile([.. clicks.Order()], 0.99);
        var memory = Math.Max(idleMemory, busyMemory);
        report.Table($"{sessions} concurrent signed-in sessions (real circuits) watching and flipping a toggle", "figure", "value", "target");
        report.Row($"sessions opened (signed-in cookie, home page, circuit up; 8 at a time; {flippers.Count} timed in a browser of their own, the others' in one at idle CPU priority)",
            $"{sessions} in {openTime.TotalSeconds:0.0} s ({circuits} circuits on the server)", "");
        report.Row("portal server memory (resident, VmRSS): idle with all open / after the flips", $"{idleMemory:0} MB / {busyMemory:0} MB", report.Check(memory < 500, "under 500 MB"));
        report.Row("managed heap at the last GC: idle / after the flips", $"{idleHeap:0} MB / {busyHeap:0} MB", "");
        report.Row($"CPU used in {IdleSample.TotalSeconds:0} s idle with all open ({Environment.ProcessorCount} cores): the portal / both browsers' processes / the whole machine",
            $"{idleCpu.Portal:0.0} s / {idleCpu.Browser:0.0} s / {idleCpu.Machine:0.0} s", "");
        report.Row($"toggle, click until the clicker's page shows it live on every replica ({clicks.Count} flips; min / median / p95)", Report.Ms(Figures.Of(clicks)), "");
        report.Row("toggle p99", $"{p99:0.0} ms", report.Check(p99 < 100, "under 100 ms"));
        report.Row($"the portal's part of that: from the click's event in the circuit until the switch rendered it live on every replica, without the browser ({flipsTimed:0} flips with the warm-up; median / p95 / p99)",
            $"{serverFlips[0]:0.0} / {serverFlips[1]:0.0} / {serverFlips[2]:0.0} ms", "");
        report.Row("toggle, click until 5 other watching pages show it on every node (min / median / p95; p99)",
            $"{Report.Ms(Figures.Of(fanOut))}; {Figures.Percentile([.. fanOut.Order()], 0.99):0.0} ms", "");
        report.Row($"the portal's part of that: from the flip's commit until each watching page's circuit rendered it, without the browser ({fanOutRenders:0} renders; median / p95 / p99 / max)",
            string.Join(" / ", serverFanOut.Select(v => $"{v:0.0}")) + " ms", "");
        report.Row("the office toggle watch's rounds that fan a flip out (the toggles pages show on every node, every toggle on the master every 2 s; median / p99 / max of the last 1,000)",
            string.Join(" / ", watchRounds.Select(v => $"{v:0.0}")) + " ms", "");
        report.Row("the portal paused for garbage collection while flipping", $"{paused:0.00} s", "");
        report.Row($"CPU used while flipping ({flipTime.TotalSeconds:0} s on {Environment.ProcessorCount} cores): the portal / both browsers' processes / the whole machine",
            $"{cpu.Portal:0.0} s / {cpu.Browser:0.0} s / {cpu.Machine:0.0} s", "");
        if (refusals > 0)
        {
            report.Row("flips refused while the portal's master probe found the master down (retried, not timed)", $"{refusals}", "");
        }
        if (navigations.Count > 0)
        {
            report.Row($"list pages by menu click meanwhile ({navigations.Count} by {browsers.Count} sessions; min / median / p95)", Report.Ms(Figures.Of(navigations)), "");
        }
        if (stuck > 0)
        {
            report.Row($"browsing sessions whose page did not show within {OpenTimeout.TotalSeconds:0} s (their browsing stopped there)", $"{stuck} of {browsers.Count}", report.Check(false, "every page shows"));
        }
        await Task.WhenAll(contexts.Values.Select(async c => await (await c).CloseAsync()));
    }

    /// <summary>Debian's Chromium run as SCHED_IDLE (chrt) through a wrapper script: Playwright starts the executable it is given.</summary>
    private static async Task<IBrowser> LaunchOthersBrowserAsync(PortalServer portal)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The sessions benchmark runs Debian's Chromium under chrt(1).");
        }
        var wrapper = Path.Combine(Path.GetTempPath(), $"portal-bench-chromium-idle-{Environment.ProcessId}");
        await File.WriteAllTextAsync(wrapper, "#!/bin/sh\n[ -w /proc/self/autogroup ] && echo 19 > /proc/self/autogroup\nexec chrt --idle 0 /usr/bin/chromium \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return await portal.Playwright.Chromium.LaunchAsync(PortalServer.ChromiumOptions(wrapper));
    }

    /// <summary>SCHED_IDLE (runs only on cycles nothing else wants) or back to normal, for every thread of the process.</summary>
    private static void Schedule(int pid, bool idle)
    {
        using var chrt = Process.Start("chrt", ["--all-tasks", idle ? "--idle" : "--other", "--pid", "0", pid.ToString(CultureInfo.InvariantCulture)]);
        chrt.WaitForExit();
        if (chrt.ExitCode != 0)
        {
            throw new InvalidOperationException($"chrt could not schedule process {pid} {(idle ? "SCHED_IDLE" : "SCHED_OTHER")} (exit code {chrt.ExitCode}).");
        }
    }

    /// <summary>The processes whose parent is <paramref name="parent"/> and whose command is <paramref name="name"/>.</summary>
    private static List<int> ChildrenNamed(int parent, string name) =>
        ProcessStat.All().Where(p => p.Parent == parent && p.Command == name).Select(p => p.Pid).ToList();

    /// <summary>A process as /proc/PID/stat describes it: its command, its parent, and its CPU time so far.</summary>
    private sealed record ProcessStat(int Pid, string Command, int Parent, double CpuSeconds)
    {
        private const double TicksPerSecond = 100;

        public static List<ProcessStat> All()
        {
            var all = new List<ProcessStat>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    continue;
                }
                try
                {
                    // The command in parentheses, then: state, ppid, ... utime and stime are fields 14 and 15.
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    all.Add(new ProcessStat(pid, stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')], int.Parse(fields[1], CultureInfo.InvariantCulture),
                        (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Ended while being read.
                }
            }
            return all;
        }
    }

    /// <summary>A new tab in a context with the user's cookie, on the home page, with its circuit up.</summary>
    private static async Task<IPage> OpenAsync(IBrowserContext context, string user)
    {
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit, Timeout = (float)OpenTimeout.TotalMilliseconds });
            await page.Locator("[data-testid=circuit][data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = (float)OpenTimeout.TotalMilliseconds });
            if (!user.StartsWith("operator", StringComparison.Ordinal))
            {
                await page.GetByTestId("office-toggles").WaitForAsync(new() { Timeout = (float)OpenTimeout.TotalMilliseconds });
            }
            return page;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"A session of {user} did not get its home page with a live circuit within {OpenTimeout.TotalSeconds:0} s: {e.Message}", e);
        }
    }

    /// <summary>Clicks the switch and waits until the page says the new change is live on every replica: written,
    /// committed, applied on each replica, shown. Returns the click's wall clock time and the milliseconds it took.</summary>
    private const string ClickUntilLive =
        """
        async ([key, timeout]) => {
            const toggle = document.querySelector(`[data-testid=office-toggle-${key}]`);
            const live = () => toggle.querySelector('[data-testid=live-on-replicas]');
            const before = live()?.dataset.gtid ?? null;
            const done = () => { const el = live(); return el && el.dataset.gtid !== before && el.dataset.live === el.dataset.total; };
            // A refused write (the portal thinks the master is down) shows as a snackbar instead.
            const refused = () => document.querySelector('.mud-snackbar') !== null;
            const target = document.querySelector(`[data-testid=office-switch-${key}]`);
            const input = target.matches('input') ? target : target.querySelector('input');
            const shown = new Promise((resolve, reject) => {
                const observer = new MutationObserver(() => {
                    if (done() || refused()) { observer.disconnect(); resolve(done()); }
                });
                observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
                setTimeout(() => { observer.disconnect(); reject(new Error(`the clicker's page did not show the flip live everywhere within ${timeout} ms`)); }, timeout);
            });
            const clickedAt = Date.now();
            const start = performance.now();
            input.click();
            const isLive = await shown;
            return [clickedAt, isLive ? performance.now() - start : -1];
        }
        """;

    /// <summary>Makes a watching page note (in window.__portalSeen) the wall clock time it shows the given state on every node.</summary>
    private const string ArmWatcher =
        """
        ([key, state, timeout]) => {
            const shows = () => {
                const toggle = document.querySelector(`[data-testid=office-toggle-${key}]`);
                return toggle && toggle.dataset.state === state
                    && [...toggle.querySelectorAll('[data-testid^=office-node-]')].every(n => n.dataset.state === state);
            };
            window.__portalSeen = new Promise((resolve, reject) => {
                const observer = new MutationObserver(() => { if (shows()) { observer.disconnect(); resolve(Date.now()); } });
                observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
                setTimeout(() => { observer.disconnect(); reject(new Error(`a watching page did not show ${key} ${state} on every node within ${timeout} ms`)); }, timeout);
            });
        }
        """;

    private static Task ShowsAsync(IPage page, string state, string when) =>
        page.WaitForFunctionAsync(
            """
            ([key, state]) => {
                const toggle = document.querySelector(`[data-testid=office-toggle-${key}]`);
                return toggle && toggle.dataset.state === state
                    && [...toggle.querySelectorAll('[data-testid^=office-node-]')].every(n => n.dataset.state === state);
            }
            """, new object[] { Watched, state }, new() { Timeout = (float)FlipTimeout.TotalMilliseconds, PollingInterval = Poll })
        .ContinueWith(t => t.IsFaulted
            ? throw new TimeoutException($"A watching page did not show {Watched} {state} on every node {when} within {FlipTimeout.TotalSeconds:0} s.", t.Exception!.InnerException)
            : Task.CompletedTask).Unwrap();

    /// <summary>Round the list pages by the menu, as a user looks around, until told to stop; the time of each page.</summary>
    /// <remarks>
    /// A page that does not show within the time allowed ends that session's browsing and is counted (a negative time),
    /// so that the run still reports everything else.
    /// </remarks>
    private static async Task<List<double>> BrowseAsync(Session session, CancellationToken ct)
    {
        var pages = session.User.StartsWith("operator", StringComparison.Ordinal)
            ? new[] { ("SIP peers", "peers"), ("Dialplan", "contexts"), ("Home", "tile-peers") }
            : [("PIN codes", "pins"), ("Voicemail", "mailboxes"), ("Dialplan", "contexts"), ("Home", "office-toggles")];
        var times = new List<double>();
        while (!ct.IsCancellationRequested)
        {
            foreach (var (menu, shows) in pages)
            {
                if (ct.IsCancellationRequested)
                {
                    break;
                }
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await session.Page.GetByRole(AriaRole.Link, new() { Name = menu, Exact = true }).ClickAsync(new() { Timeout = (float)OpenTimeout.TotalMilliseconds });
                    await session.Page.GetByTestId(shows).WaitForAsync(new() { Timeout = (float)OpenTimeout.TotalMilliseconds });
                }
                catch (TimeoutException)
                {
                    times.Add(-1);
                    return times;
                }
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(1000 + Random.Shared.Next(2000)), ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        return times;
    }

    private static async Task MasterUpAsync(PortalServer portal)
    {
        var deadline = Stopwatch.StartNew();
        while (await MetricAsync(portal, "portal_master_up") == 0)
        {
            if (deadline.Elapsed > FlipTimeout)
            {
                throw new TimeoutException($"The portal has found the master down for {FlipTimeout.TotalSeconds:0} s.");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>One sample of the portal's /metrics; NaN from a portal too old to have it (for a comparison run).</summary>
    private static async Task<double> MetricAsync(PortalServer portal, string name) => PortalServer.Sample(await portal.MetricsAsync(), name);

    /// <summary>A duration gauge's quantiles in one scrape, in milliseconds.</summary>
    private static double[] Milliseconds(string metrics, string name, params string[] quantiles) =>
        [.. quantiles.Select(q => PortalServer.Sample(metrics, $"{name}{{quantile=\"{q}\"}}") * 1000)];

    /// <summary>
    /// CPU seconds used so far: by the portal, by the browser (every other process this benchmark started: Playwright's
    /// driver and Chromium), and by the whole machine (busy time, idle and I/O wait left out; guests are in user already).
    /// </summary>
    private sealed record Cpu(double Portal, double Browser, double Machine)
    {
        private const double TicksPerSecond = 100;

        public static Cpu operator -(Cpu a, Cpu b) => new(a.Portal - b.Portal, a.Browser - b.Browser, a.Machine - b.Machine);

        public static Cpu Sample(int portalPid)
        {
            var processes = ProcessStat.All();
            var parents = processes.ToDictionary(p => p.Pid, p => p.Parent);
            var used = processes.ToDictionary(p => p.Pid, p => p.CpuSeconds);
            bool Under(int pid, int root)
            {
                for (var hops = 0; pid > 1 && hops < 64; hops++)
                {
                    if (pid == root)
                    {
                        return true;
                    }
                    if (!parents.TryGetValue(pid, out pid))
                    {
                        return false;
                    }
                }
                return false;
            }
            var self = Environment.ProcessId;
            var machine = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(1).Select((v, i) => (Value: long.Parse(v, CultureInfo.InvariantCulture), Index: i))
                .Where(f => f.Index is not (3 or 4 or 8 or 9)).Sum(f => f.Value) / TicksPerSecond;
            return new Cpu(
                used.Where(u => Under(u.Key, portalPid)).Sum(u => u.Value),
                used.Where(u => u.Key != self && Under(u.Key, self) && !Under(u.Key, portalPid)).Sum(u => u.Value),
                machine);
        }
    }

    private static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
