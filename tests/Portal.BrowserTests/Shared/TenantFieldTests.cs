using Portal.IntegrationTests;

namespace Portal.BrowserTests.Shared;

/// <summary>Operators pick tenants by typing (a cluster has a thousand of them): the forms that need one.</summary>
[Collection(PortalCollection.Name)]
public sealed class TenantFieldTests(PortalServer portal)
{
    [Fact]
    public async Task An_operator_adds_an_office_toggle_for_a_tenant_found_as_they_type()
    {
        var key = "company-b-tf" + Random.Shared.Next(1000, 9999);
        var page = await portal.SignInAsync("operator@example.test");
        try
        {
            await page.GotoAsync("/office-toggles");
            await PortalServer.WaitForCircuitAsync(page);

            await page.GetByTestId("toggle-name").FillAsync("Holiday");
            await page.GetByTestId("toggle-key").FillAsync(key);
            await page.GetByTestId("toggle-add").ClickAsync();
            await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasTextString = "Choose the tenant the toggle is for." })).ToBeVisibleAsync();

            await PortalServer.PickTenantAsync(page, "toggle-tenant", "pany-b", "company-b");
            await Assertions.Expect(page.GetByTestId("toggle-key")).ToHaveValueAsync("company-b");
            await page.GetByTestId("toggle-name").FillAsync("Holiday");
            await page.GetByTestId("toggle-key").FillAsync(key);
            await page.GetByTestId("toggle-add").ClickAsync();

            await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasTextString = $"Toggle Holiday added for company-b." })).ToBeVisibleAsync();
            Assert.Equal("company-b", await TestCluster.ScalarAsync(TestCluster.RootConnectionString("master"),
                $"SELECT t.tenant_key FROM portal.office_toggles o JOIN portal.tenants t ON t.id = o.tenant_id WHERE o.toggle_key = '{key}'"));
        }
        finally
        {
            await TestCluster.RootSqlAsync("master", $"DELETE FROM portal.office_toggles WHERE toggle_key = '{key}'");
        }
    }
}
