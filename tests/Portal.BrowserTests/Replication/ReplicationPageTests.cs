using System.Text.RegularExpressions;
using Portal.IntegrationTests;
using Portal.IntegrationTests.Replication;

namespace Portal.BrowserTests.Replication;

[Collection(PortalCollection.Name)]
public sealed partial class ReplicationPageTests(PortalServer portal)
{
    [Fact]
    public async Task The_replication_page_shows_the_lag_rise_and_fall_during_an_injected_delay()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GetByRole(AriaRole.Link, new() { Name = "Replication" }).ClickAsync();
        await page.WaitForURLAsync("**/replication");
        var replica1 = page.GetByTestId("replica-replica1");
        await Assertions.Expect(replica1).ToHaveAttributeAsync("data-state", "Healthy");
        await Assertions.Expect(page.GetByTestId("replica-replica2")).ToHaveAttributeAsync("data-state", "Healthy");
        try
        {
            // The SQL thread stays stopped until the page has shown two seconds of lag: a stall as long as the page needs
            // on a busy machine, rather than a fixed one it might miss.
            await TestCluster.RootSqlAsync("replica1", "STOP SLAVE SQL_THREAD");
            await Assertions.Expect(replica1).ToHaveAttributeAsync("data-state", "Stopped");
            await Assertions.Expect(replica1).ToHaveAttributeAsync("data-lag-ms", TwoSecondsOrMore());
            await TestCluster.RootSqlAsync("replica1", "START SLAVE SQL_THREAD");

            await Assertions.Expect(replica1).ToHaveAttributeAsync("data-state", "Healthy");
            await Assertions.Expect(replica1).ToHaveAttributeAsync("data-lag-ms", SmallLag());
            // The chart keeps the spike.
            Assert.True(int.Parse(await replica1.GetByTestId("lag-max").GetAttributeAsync("data-ms") ?? "0") >= 2000);
            await Assertions.Expect(replica1.GetByTestId("seconds-behind-master")).ToContainTextAsync("whole-second estimate");
            await page.ScreenshotAsync(new() { Path = Path.Combine(TestCluster.Repo, "docs", "replication.png"), FullPage = true });
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
        }
    }

    [Fact]
    public async Task The_operator_home_page_shows_replica_health_at_a_glance()
    {
        var page = await portal.SignInAsync("operator@example.test");

        await Assertions.Expect(page.GetByTestId("tile-replicas")).ToContainTextAsync("2 of 2 healthy");
    }

    [Fact]
    public async Task A_tenant_admin_cannot_open_the_replication_page()
    {
        var page = await portal.SignInAsync("admin@company-b.test");
        await page.GotoAsync("/replication");

        await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("replica-replica1")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("tile-replicas")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task While_the_master_is_down_the_portal_reads_from_a_replica_and_says_so()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await Assertions.Expect(page.GetByTestId("tile-peers")).ToBeVisibleAsync();
        try
        {
            await TestCluster.ClusterAsync("kill", "master");
            await Assertions.Expect(page.GetByTestId("master-down")).ToBeVisibleAsync();

            await page.ReloadAsync();
            await PortalServer.WaitForCircuitAsync(page);
            var notice = page.GetByTestId("read-source");
            await Assertions.Expect(notice).ToBeVisibleAsync();
            await Assertions.Expect(notice).ToHaveAttributeAsync("data-replica", new Regex("^replica[12]$"));
            await Assertions.Expect(notice).ToContainTextAsync("lags");
            await Assertions.Expect(page.GetByTestId("tile-peers")).ToContainTextAsync("registered now");
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
        }
        await Assertions.Expect(page.GetByTestId("master-down")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("read-source")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Health_and_metrics_answer_monitoring_systems_without_a_sign_in()
    {
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };

        var live = await http.GetAsync("/health/live");
        var ready = await http.GetAsync("/health/ready");
        var metrics = await http.GetStringAsync("/metrics");

        Assert.True(live.IsSuccessStatusCode);
        Assert.True(ready.IsSuccessStatusCode, await ready.Content.ReadAsStringAsync());
        Assert.StartsWith("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.Matches(@"portal_replica_lag_seconds\{replica=""replica1""\} [0-9.]+\n", metrics);
        Assert.Contains("portal_master_up 1\n", metrics);
        // The office toggle watch runs from start-up (every IdleInterval while no page looks), and the runtime's pauses.
        Assert.Matches(@"portal_office_watch_round_seconds\{quantile=""0.99""\} [0-9.eE+-]+\n", metrics);
        Assert.Matches(@"dotnet_gc_pause_seconds_total [0-9.eE+-]+\n", metrics);
    }

    [GeneratedRegex(@"^\d{1,3}$")]
    private static partial Regex SmallLag();

    [GeneratedRegex(@"^([2-9]\d{3}|\d{5,})$")]
    private static partial Regex TwoSecondsOrMore();
}
