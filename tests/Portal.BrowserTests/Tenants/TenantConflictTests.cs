namespace Portal.BrowserTests.Tenants;

/// <summary>Issue 17: a second tab with a stale tenant form dropped the context the first tab had just added.</summary>
[Collection(PortalCollection.Name)]
public sealed class TenantConflictTests(PortalServer portal)
{
    [Fact]
    public async Task A_stale_second_tab_is_refused_with_a_conflict_and_reloading_keeps_the_first_tabs_context()
    {
        var key = "t-" + Guid.NewGuid().ToString("N")[..6];
        var first = await portal.SignInAsync("operator@example.test");
        await first.GotoAsync("/tenants");
        await PortalServer.WaitForCircuitAsync(first);
        await first.GetByLabel("Key").FillAsync(key);
        await first.GetByLabel("Name").FillAsync("Tenant " + key);
        await first.GetByLabel("Contexts (one per line)").FillAsync(key);
        await first.GetByTestId("save-tenant").ClickAsync();
        await Assertions.Expect(first.GetByTestId("tenants")).ToContainTextAsync(key);

        var second = await portal.SignInAsync("operator@example.test");
        await second.GotoAsync("/tenants");
        await PortalServer.WaitForCircuitAsync(second);
        // Both tabs open the tenant.
        foreach (var tab in new[] { first, second })
        {
            await tab.GetByTestId("tenants").Locator("tr", new() { HasText = key }).ClickAsync();
            await Assertions.Expect(tab.GetByLabel("Contexts (one per line)")).ToHaveValueAsync(key);
        }

        await first.GetByLabel("Contexts (one per line)").FillAsync(key + "\n" + key + "-ld");
        await first.GetByTestId("save-tenant").ClickAsync();
        await Assertions.Expect(first.GetByTestId("tenants")).ToContainTextAsync(key + "-ld");

        await second.GetByLabel("Name").FillAsync("Renamed " + key);
        await second.GetByTestId("save-tenant").ClickAsync();
        await Assertions.Expect(second.GetByTestId("conflict")).ToContainTextAsync("changed by someone else");

        await second.GetByTestId("conflict-reload").ClickAsync();
        await Assertions.Expect(second.GetByLabel("Contexts (one per line)")).ToHaveValueAsync(key + "\n" + key + "-ld");
        await second.GetByLabel("Name").FillAsync("Renamed " + key);
        await second.GetByTestId("save-tenant").ClickAsync();
        var row = second.GetByTestId("tenants").Locator("tr", new() { HasText = key });
        await Assertions.Expect(row).ToContainTextAsync("Renamed " + key);
        await Assertions.Expect(row).ToContainTextAsync(key + "-ld");
    }
}
