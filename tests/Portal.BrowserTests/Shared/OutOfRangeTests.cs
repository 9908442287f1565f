using Portal.IntegrationTests;

namespace Portal.BrowserTests.Shared;

/// <summary>Issue 17's Low findings a user meets on a page: out-of-range numbers, an unconfirmed delete, a misleading refusal.</summary>
[Collection(PortalCollection.Name)]
public sealed class OutOfRangeTests(PortalServer portal)
{
    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public async Task Priority_0_or_minus_1_is_refused_with_a_message_not_saved_as_1(string priority)
    {
        var exten = "6" + Random.Shared.Next(1000, 9999);
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/dialplan/context/company-a");
        await PortalServer.WaitForCircuitAsync(page);
        await page.GetByTestId("add-extension").ClickAsync();
        await page.GetByTestId("step-exten").FillAsync(exten);
        await page.Locator("input[data-testid=step-priority], [data-testid=step-priority] input").FillAsync(priority);
        await page.GetByTestId("step-app").FillAsync("Answer");
        await page.GetByTestId("save-step").ClickAsync();

        await Assertions.Expect(page.GetByTestId("step-dialog")).ToContainTextAsync("a priority goes from 1");
        Assert.Equal(0L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM extensions WHERE context = 'company-a' AND exten = '{exten}'"));
    }

    [Fact]
    public async Task Generating_0_pins_is_refused_with_a_message_and_makes_none()
    {
        var before = await TestTenants.OnMasterAsync("SELECT COUNT(*) FROM pins WHERE company = 'company-a'");
        var page = await portal.SignInAsync("admin@company-a.test");
        await page.GotoAsync("/pins");
        await PortalServer.WaitForCircuitAsync(page);

        await page.Locator("input[data-testid=pins-generate-count], [data-testid=pins-generate-count] input").FillAsync("0");
        await page.GetByTestId("pins-generate").ClickAsync();

        await Assertions.Expect(page.GetByText("Count: 1 to")).ToBeVisibleAsync();
        Assert.Equal(before, await TestTenants.OnMasterAsync("SELECT COUNT(*) FROM pins WHERE company = 'company-a'"));
    }

    [Fact]
    public async Task Deleting_a_node_asks_first_naming_the_node_and_cancel_keeps_it()
    {
        var name = "pbx-" + Guid.NewGuid().ToString("N")[..6];
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/nodes");
        await PortalServer.WaitForCircuitAsync(page);
        await page.Locator("input[data-testid=node-name], [data-testid=node-name] input").FillAsync(name);
        await page.Locator("input[data-testid=node-replica-host], [data-testid=node-replica-host] input").FillAsync("127.0.0.1");
        await page.Locator("input[data-testid=node-replica-port], [data-testid=node-replica-port] input").FillAsync("1");
        await page.GetByTestId("save-node").ClickAsync();
        await Assertions.Expect(page.GetByTestId("node-detail")).ToContainTextAsync(name);

        await page.GetByTestId("delete-node").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await Assertions.Expect(dialog).ToContainTextAsync($"Delete node {name}?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal(1L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM portal.nodes WHERE name = '{name}'"));

        await page.GetByTestId("delete-node").ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar").Last).ToContainTextAsync($"Node {name} deleted.");
        Assert.Equal(0L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM portal.nodes WHERE name = '{name}'"));
    }

    [Theory]
    [InlineData("company-b")]
    [InlineData("no-such-context")]
    public async Task A_tenant_admin_opening_a_context_not_theirs_is_told_so_whether_or_not_it_exists(string context)
    {
        var page = await portal.SignInAsync("admin@company-a.test");

        await page.GotoAsync("/dialplan/context/" + context);
        await PortalServer.WaitForCircuitAsync(page);

        await Assertions.Expect(page.GetByTestId("context-not-yours")).ToContainTextAsync("not one of your company's");
        await Assertions.Expect(page.GetByTestId("context-empty")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_dialplan_file_over_the_limit_gets_a_message_and_the_page_says_the_limit()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/dialplan/import");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("import-limit")).ToContainTextAsync("2 MB");

        var big = "[big]\n" + string.Concat(Enumerable.Repeat("exten => 1,1,NoOp(" + new string('x', 90) + ")\n", 25_000));
        await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload { Name = "big.conf", MimeType = "text/plain", Buffer = System.Text.Encoding.UTF8.GetBytes(big) });

        await Assertions.Expect(page.Locator(".mud-snackbar").First).ToContainTextAsync("up to 2 MB");
    }
}
