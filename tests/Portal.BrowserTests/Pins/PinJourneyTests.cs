using Portal.IntegrationTests;

namespace Portal.BrowserTests.Pins;

[Collection(PortalCollection.Name)]
public sealed class PinJourneyTests(PortalServer portal)
{
    private static Task<object?> MasterAsync(string sql) => TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, sql);

    [Fact]
    public async Task Tenant_admin_adds_a_pin_sees_it_live_on_both_replicas_and_deactivates_it()
    {
        var digits = Random.Shared.Next(10_000_000, 99_999_999).ToString();
        var page = await portal.SignInAsync("admin@company-a.test");

        await page.GetByTestId("nav-pins").ClickAsync();
        await page.GetByTestId("pin-add").ClickAsync();
        await page.WaitForURLAsync("**/pins/new?tenant=company-a");
        await PortalServer.WaitForCircuitAsync(page);
        await page.GetByTestId("pin-digits").FillAsync(digits);
        await Assertions.Expect(page.GetByText($"Stored as 1111-{digits}")).ToBeVisibleAsync();
        await page.GetByTestId("pin-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("live-on-replicas")).ToHaveAttributeAsync("data-live", "2");

        var id = Convert.ToInt32(await MasterAsync($"SELECT id FROM pins WHERE company = 'company-a' AND pin = '1111-{digits}' AND active = 'yes'"));
        await page.GotoAsync("/pins");
        await PortalServer.WaitForCircuitAsync(page);
        await page.GetByTestId("pins-search").FillAsync(digits);
        // The first page is on screen before the search's debounce ends: wait for the search's own result, so the
        // click does not land on a row the search is about to render again.
        await Assertions.Expect(page.Locator("[data-testid^=pin-code-]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId($"pin-code-{id}")).ToHaveTextAsync("1111-••••");
        await page.GetByTestId($"pin-active-{id}").ClickAsync();
        await Assertions.Expect(page.GetByTestId("live-on-replicas")).ToHaveAttributeAsync("data-live", "2");
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.Equal("no", await TestCluster.ScalarAsync(TestCluster.ReplicaConnectionString(replica), $"SELECT active FROM pins WHERE id = {id}"));
        }

        await page.GetByTestId($"pin-reveal-{id}").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"pin-code-{id}")).ToHaveTextAsync($"1111-{digits}");
    }

    [Fact]
    public async Task Company_a_admin_cannot_reach_company_b_pins_by_typing_urls()
    {
        var theirs = Convert.ToInt32(await MasterAsync("SELECT id FROM pins WHERE company = 'company-b' ORDER BY id LIMIT 1"));
        var page = await portal.SignInAsync("admin@company-a.test");
        var denials = Convert.ToInt64(await MasterAsync("SELECT COUNT(*) FROM portal.audit_log WHERE user_name = 'admin@company-a.test' AND action = 'denied: open pin'"));

        await page.GotoAsync($"/pins/{theirs}");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("pin-digits")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("2222-");

        await page.GotoAsync("/pins/new?tenant=company-b");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("pin-save")).ToHaveCountAsync(0);

        await page.GotoAsync("/pins");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("pins")).ToContainTextAsync("1111-");
        await Assertions.Expect(page.GetByTestId("pins")).Not.ToContainTextAsync("2222-");

        var export = await page.APIRequest.GetAsync("/pins/export.csv?tenant=company-b");
        Assert.Equal(403, export.Status);
        Assert.DoesNotContain("2222-", await export.TextAsync());
        var own = await page.APIRequest.GetAsync("/pins/export.csv");
        Assert.StartsWith("pin,active\n1111-", (await own.TextAsync()).ReplaceLineEndings("\n"));
        // Prerendering and the interactive circuit both open the page: each refused open is audited.
        Assert.True(Convert.ToInt64(await MasterAsync("SELECT COUNT(*) FROM portal.audit_log WHERE user_name = 'admin@company-a.test' AND action = 'denied: open pin'")) > denials);
    }

    [Fact]
    public async Task The_pin_list_pages_forward_to_the_last_page_and_back()
    {
        var batch = Random.Shared.Next(100, 999);
        var pins = Enumerable.Range(0, 60).Select(i => $"'1111-{batch}{i:D5}'").ToList();
        await MasterAsync($"INSERT INTO pins (company, pin, active) VALUES {string.Join(",", pins.Select(p => $"('company-a', {p}, 'yes')"))}");
        try
        {
            var total = Convert.ToInt32(await MasterAsync("SELECT COUNT(*) FROM pins WHERE company = 'company-a'"));
            var lastFirst = (total - 1) / 25 * 25 + 1;
            var page = await portal.SignInAsync("admin@company-a.test");
            await page.GotoAsync("/pins");
            await PortalServer.WaitForCircuitAsync(page);
            var count = page.GetByTestId("pins-count");

            await Assertions.Expect(count).ToHaveTextAsync($"1–25 of {total}");
            await page.GetByTestId("pins-next").ClickAsync();
            await Assertions.Expect(count).ToHaveTextAsync($"26–50 of {total}");
            await page.GetByTestId("pins-last").ClickAsync();
            await Assertions.Expect(count).ToHaveTextAsync($"{lastFirst}–{total} of {total}");
            await Assertions.Expect(page.GetByTestId("pins-next")).ToBeDisabledAsync();
            await page.GetByTestId("pins-previous").ClickAsync();
            await Assertions.Expect(count).ToHaveTextAsync($"{lastFirst - 25}–{lastFirst - 1} of {total}");
            await Assertions.Expect(page.GetByTestId("pins-next")).ToBeEnabledAsync();
        }
        finally
        {
            await MasterAsync($"DELETE FROM pins WHERE company = 'company-a' AND pin IN ({string.Join(",", pins)})");
        }
    }
}
