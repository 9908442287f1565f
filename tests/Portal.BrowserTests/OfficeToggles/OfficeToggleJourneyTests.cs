using System.Text.RegularExpressions;
using Portal.IntegrationTests;

namespace Portal.BrowserTests.OfficeToggles;

[Collection(PortalCollection.Name)]
public sealed class OfficeToggleJourneyTests(PortalServer portal)
{
    private static readonly string[] Nodes = ["master", .. TestCluster.Replicas];

    private static Task ExpectStateAsync(IPage page, string state) =>
        Task.WhenAll(Nodes.Select(node => Assertions.Expect(page.GetByTestId($"office-node-company-a-{node}")).ToHaveAttributeAsync("data-state", state)));

    /// <summary>Company A's admin on the home page, and the switch's state now and after one flip.</summary>
    private async Task<(IPage Page, ILocator Toggle, string Before, string After)> HomeOfCompanyAAsync()
    {
        var page = await portal.SignInAsync("admin@company-a.test");
        var toggle = page.GetByTestId("office-toggle-company-a");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-state", new Regex("^(on|off)$"));
        var before = (await toggle.GetAttributeAsync("data-state"))!;
        return (page, toggle, before, before == "on" ? "off" : "on");
    }

    /// <summary>Flips the portal has timed from the click until the clicker's page showed them live on every replica.</summary>
    private async Task<long> FlipsTimedAsync() => (long)PortalServer.Sample(await portal.MetricsAsync(), "portal_toggle_flips_live_total");

    /// <summary>Rounds the office toggle watch has published since the portal started.</summary>
    private async Task<long> RoundsAsync() => (long)PortalServer.Sample(await portal.MetricsAsync(), "portal_office_watch_rounds_total");

    [Fact]
    public async Task Tenant_admin_flips_the_office_closed_switch_and_sees_it_reach_both_replicas()
    {
        var (page, toggle, before, after) = await HomeOfCompanyAAsync();
        var timed = await FlipsTimedAsync();

        await page.GetByTestId("office-switch-company-a").ClickAsync();

        await ExpectStateAsync(page, after);
        await Assertions.Expect(toggle.GetByTestId("live-on-replicas")).ToHaveAttributeAsync("data-live", "2");
        // The portal times the flip right after that render, outside the page's circuit: a moment later.
        Assert.Equal(timed + 1, await Eventually.GetAsync(FlipsTimedAsync, n => n != timed, "the flip being timed"));
        await Assertions.Expect(page.GetByTestId("office-last-change-company-a")).ToContainTextAsync("admin@company-a.test");
        await Assertions.Expect(page.GetByTestId("office-toggle-company-b")).ToHaveCountAsync(0);

        await page.GetByTestId("office-switch-company-a").ClickAsync();
        await ExpectStateAsync(page, before);
    }

    [Fact]
    public async Task An_idle_board_says_it_is_live_and_changes_nothing_on_the_page_while_nothing_changes()
    {
        var (page, toggle, before, _) = await HomeOfCompanyAAsync();
        await Assertions.Expect(page.GetByTestId("office-toggles-health")).ToHaveAttributeAsync("data-reading", "true");
        // Settled first: a page that opens while nobody watched its tenant shows the master's value from the last round
        // at once, and the replicas' from the round its opening starts, a moment later.
        await ExpectStateAsync(page, before);

        // Five of the watch's rounds (every 0.5 s while a page watches), counted by the portal: none may touch the board's DOM.
        await page.EvaluateAsync(
            """
            () => {
                const board = document.querySelector('[data-testid=office-toggles]').parentElement;
                window.boardMutations = 0;
                window.boardObserver = new MutationObserver(records => window.boardMutations += records.length);
                window.boardObserver.observe(board, { subtree: true, childList: true, attributes: true, characterData: true });
            }
            """);
        var rounds = await RoundsAsync();
        await Eventually.GetAsync(RoundsAsync, n => n >= rounds + 5, "five rounds of the watch");
        var mutations = await page.EvaluateAsync<int>("() => { window.boardObserver.disconnect(); return window.boardMutations; }");

        Assert.Equal(0, mutations);
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-state", before);
    }

    [Fact]
    public async Task A_flip_from_a_phone_shows_up_on_the_page_as_made_outside_the_portal()
    {
        var (page, _, before, after) = await HomeOfCompanyAAsync();

        // *20 or *21 on a phone: RealTimeUpdate as the asterisk user, straight to the master.
        await TestCluster.ScalarAsync(TestTenants.AsteriskConnectionString, $"UPDATE extensions SET appdata = '{after}' WHERE app = 'company-a'");

        await ExpectStateAsync(page, after);
        await Assertions.Expect(page.GetByTestId("office-last-change-company-a")).ToContainTextAsync("a phone or another client");
        await TestCluster.ScalarAsync(TestTenants.AsteriskConnectionString, $"UPDATE extensions SET appdata = '{before}' WHERE app = 'company-a'");
        await ExpectStateAsync(page, before);
    }

    [Fact]
    public async Task Operators_see_every_tenants_toggles_and_tenant_admins_cannot_open_that_page()
    {
        var operatorPage = await portal.SignInAsync("operator@example.test");
        await operatorPage.GetByTestId("nav-office-toggles").ClickAsync();
        await Assertions.Expect(operatorPage.GetByTestId("office-toggle-company-a")).ToBeVisibleAsync();
        await Assertions.Expect(operatorPage.GetByTestId("office-toggle-company-b")).ToBeVisibleAsync();

        var admin = await portal.SignInAsync("admin@company-a.test");
        await admin.GotoAsync("/office-toggles");
        await Assertions.Expect(admin.GetByTestId("forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("office-toggle-company-b")).ToHaveCountAsync(0);
    }
}
