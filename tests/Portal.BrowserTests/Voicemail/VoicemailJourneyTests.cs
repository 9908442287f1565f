using Portal.IntegrationTests;

namespace Portal.BrowserTests.Voicemail;

[Collection(PortalCollection.Name)]
public sealed class VoicemailJourneyTests(PortalServer portal)
{
    private static Task<object?> MasterAsync(string sql) => TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, sql);

    [Fact]
    public async Task Tenant_admin_creates_a_mailbox_that_is_live_on_both_replicas()
    {
        var mailbox = Random.Shared.Next(100_000, 999_999).ToString();
        var page = await portal.SignInAsync("admin@company-a.test");

        await page.GetByTestId("nav-voicemail").ClickAsync();
        await page.GetByTestId("mailbox-add").ClickAsync();
        await page.WaitForURLAsync("**/voicemail/new");
        await PortalServer.WaitForCircuitAsync(page);
        await page.GetByTestId("mailbox-number").FillAsync(mailbox);
        await page.GetByTestId("mailbox-password").FillAsync("4321");
        await page.GetByTestId("mailbox-fullname").FillAsync("Browser test " + mailbox);
        await page.GetByTestId("mailbox-email").FillAsync($"box{mailbox}@company-a.test");
        await page.GetByTestId("mailbox-save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("live-on-replicas")).ToHaveAttributeAsync("data-live", "2");
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.Equal("company-a|4321|central|yes", await TestCluster.ScalarAsync(TestCluster.ReplicaConnectionString(replica),
                $"SELECT CONCAT_WS('|', customer_id, password, tz, attach) FROM voicemail WHERE context = 'company-a' AND mailbox = '{mailbox}'"));
        }
    }

    [Fact]
    public async Task Company_a_admin_cannot_open_a_company_b_mailbox_by_typing_its_url()
    {
        var theirs = Convert.ToInt32(await MasterAsync("SELECT uniqueid FROM voicemail WHERE context = 'company-b' ORDER BY uniqueid LIMIT 1"));
        var name = (string)(await MasterAsync($"SELECT fullname FROM voicemail WHERE uniqueid = {theirs}"))!;
        var page = await portal.SignInAsync("admin@company-a.test");

        await page.GotoAsync($"/voicemail/{theirs}");
        await PortalServer.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId("access-denied")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("mailbox-save")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync(name);

        await page.GotoAsync("/voicemail");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("mailboxes")).ToContainTextAsync("company-a");
        await Assertions.Expect(page.GetByTestId("mailboxes")).Not.ToContainTextAsync("company-b");
    }

    [Fact]
    public async Task An_operator_filters_mailboxes_by_a_tenant_found_as_they_type()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/voicemail");
        await PortalServer.WaitForCircuitAsync(page);

        await PortalServer.PickTenantAsync(page, "mailboxes-tenant", "pany-b", "company-b");

        await Assertions.Expect(page.GetByTestId("mailboxes")).ToContainTextAsync("company-b");
        await Assertions.Expect(page.GetByTestId("mailboxes")).Not.ToContainTextAsync("company-a");
    }
}
