namespace Portal.BrowserTests.Tenants;

[Collection(PortalCollection.Name)]
public sealed class TenantsPageTests(PortalServer portal)
{
    [Fact]
    public async Task Operator_creates_a_tenant_and_its_admin_who_then_signs_in_to_that_tenant()
    {
        var key = "t-" + Guid.NewGuid().ToString("N")[..6];
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/tenants");
        await PortalServer.WaitForCircuitAsync(page);

        await page.GetByLabel("Key").FillAsync(key);
        await page.GetByLabel("Name").FillAsync("Tenant " + key);
        await page.GetByLabel("Contexts (one per line)").FillAsync(key + "\n" + key + "-ld");
        await page.GetByTestId("save-tenant").ClickAsync();
        await Assertions.Expect(page.GetByTestId("tenants")).ToContainTextAsync(key + "-ld");

        var email = $"admin@{key}.test";
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByTestId("user-tenant-select").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = key, Exact = true }).ClickAsync();
        await page.GetByLabel("Initial password").FillAsync("Initial-Password-2026");
        await page.GetByTestId("create-user").ClickAsync();
        await Assertions.Expect(page.GetByTestId("users")).ToContainTextAsync($"admin of {key}");

        var admin = await portal.SignInAsync(email, "Initial-Password-2026");
        await Assertions.Expect(admin.GetByTestId("user-tenant")).ToHaveTextAsync(key);
    }

    [Fact]
    public async Task Tenant_key_is_validated_before_anything_is_saved()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/tenants");
        await PortalServer.WaitForCircuitAsync(page);

        await page.GetByLabel("Key").FillAsync("Company_With_A_Long_Key");
        await page.GetByLabel("Name").FillAsync("Bad key");
        await page.GetByTestId("save-tenant").ClickAsync();

        await Assertions.Expect(page.Locator(".mud-snackbar").First).ToContainTextAsync("Key");
        await Assertions.Expect(page.GetByTestId("tenants")).Not.ToContainTextAsync("Company_With_A_Long_Key");
    }

    [Fact]
    public async Task Operator_locks_a_user_who_then_cannot_sign_in()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/tenants");
        await PortalServer.WaitForCircuitAsync(page);
        var row = page.GetByTestId("users").Locator("tr", new() { HasText = "admin@company-b.test" });
        await row.GetByRole(AriaRole.Button, new() { Name = "Lock" }).ClickAsync();
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Unlock" })).ToBeVisibleAsync();
        try
        {
            var context = await portal.Browser.NewContextAsync(new() { BaseURL = portal.BaseUrl });
            var locked = await context.NewPageAsync();
            await locked.GotoAsync("/Account/Login");
            await locked.FillAsync("#Input\\.Email", "admin@company-b.test");
            await locked.FillAsync("#Input\\.Password", PortalServer.DemoPassword);
            await locked.ClickAsync("button[type=submit]");
            await locked.WaitForURLAsync("**/Account/Lockout");
        }
        finally
        {
            await row.GetByRole(AriaRole.Button, new() { Name = "Unlock" }).ClickAsync();
            await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Lock" })).ToBeVisibleAsync();
        }
    }
}
