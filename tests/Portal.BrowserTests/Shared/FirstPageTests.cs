using Portal.IntegrationTests;

namespace Portal.BrowserTests.Shared;

/// <summary>
/// Issue 8: the lists' first page is in the HTML the server sends (prerendered, before any circuit), the interactive
/// page keeps it, and links can open a list at a search or deep in it.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class FirstPageTests(PortalServer portal)
{
    private static Task<object?> MasterAsync(string sql) => TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, sql);

    /// <summary>The page as the server sends it, with the signed-in cookie of the browser context: no script has run.</summary>
    private static async Task<string> HtmlAsync(IPage page, string url)
    {
        var response = await page.APIRequest.GetAsync(url);
        Assert.True(response.Ok, $"{url}: {response.Status}");
        return await response.TextAsync();
    }

    [Fact]
    public async Task The_peers_first_page_is_in_the_servers_html_and_stays_once_the_circuit_is_up()
    {
        var page = await portal.SignInAsync("operator@example.test");
        var first = (string)(await MasterAsync("SELECT name FROM sip ORDER BY name, id LIMIT 1"))!;

        var html = await HtmlAsync(page, "/sip-peers");

        Assert.Contains($">{first}</a>", html);
        await page.GotoAsync("/sip-peers");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("peer-link").First).ToHaveTextAsync(first);
        await Assertions.Expect(page.GetByTestId("peer-count")).ToContainTextAsync("1–");
    }

    [Fact]
    public async Task Links_open_the_peers_at_a_search_or_from_a_name_and_the_pager_goes_on_from_there()
    {
        var page = await portal.SignInAsync("operator@example.test");
        var names = ((string)(await MasterAsync(
            "SELECT GROUP_CONCAT(name ORDER BY name, id SEPARATOR '|') FROM (SELECT name, id FROM sip ORDER BY name, id LIMIT 3) AS first"))!).Split('|');

        Assert.Contains($">{names[1]}</a>", await HtmlAsync(page, $"/sip-peers?search={Uri.EscapeDataString(names[1])}"));
        await page.GotoAsync($"/sip-peers?search={Uri.EscapeDataString(names[1])}");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("peer-link").First).ToHaveTextAsync(names[1]);
        await Assertions.Expect(page.Locator("input[data-testid=peer-search], [data-testid=peer-search] input")).ToHaveValueAsync(names[1]);

        await page.GotoAsync($"/sip-peers?from={Uri.EscapeDataString(names[1])}");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("peer-link").First).ToHaveTextAsync(names[1]);
        await Assertions.Expect(page.GetByTestId("peer-link").Nth(1)).ToHaveTextAsync(names[2]);
        await Assertions.Expect(page.GetByTestId("peer-count")).ToContainTextAsync($"from {names[1]}");
        Assert.DoesNotContain(names[0], await page.GetByTestId("peers").InnerTextAsync());
    }

    [Fact]
    public async Task The_peers_show_25_a_page_and_the_pager_offers_more()
    {
        var prefix = $"psz{Random.Shared.Next(10000, 99999)}-";
        var values = string.Join(", ", Enumerable.Range(1, 30).Select(i => $"('{prefix}{i:00}', 'dynamic', 'company-a')"));
        await TestCluster.RootSqlAsync("master", $"INSERT INTO asteriskdb.sip (name, host, context) VALUES {values}");
        try
        {
            var page = await portal.SignInAsync("operator@example.test");
            await page.GotoAsync($"/sip-peers?search={prefix}");
            await PortalServer.WaitForCircuitAsync(page);
            await Assertions.Expect(page.GetByTestId("peer-count")).ToHaveTextAsync("1–25 of 30");
            await Assertions.Expect(page.GetByTestId("peer-link")).ToHaveCountAsync(25);

            await page.GetByTestId("peer-page-size").ClickAsync();
            await page.GetByTestId("peer-page-size-50").ClickAsync();

            await Assertions.Expect(page.GetByTestId("peer-count")).ToHaveTextAsync("1–30 of 30");
            await Assertions.Expect(page.GetByTestId("peer-link")).ToHaveCountAsync(30);
            await Assertions.Expect(page.GetByTestId("peer-link").Last).ToHaveTextAsync($"{prefix}30");
        }
        finally
        {
            await TestCluster.RootSqlAsync("master", $"DELETE FROM asteriskdb.sip WHERE name LIKE '{prefix}%'");
        }
    }

    [Fact]
    public async Task The_tenant_filter_searches_as_you_type()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/sip-peers");
        await PortalServer.WaitForCircuitAsync(page);

        await PortalServer.PickTenantAsync(page, "peer-tenant", "company-b", "company-b");

        await Assertions.Expect(page.GetByTestId("peers")).ToContainTextAsync("company-b");
        await Assertions.Expect(page.GetByTestId("peers")).Not.ToContainTextAsync("company-a");
    }

    [Fact]
    public async Task A_tenant_admins_pins_and_a_contexts_extensions_are_in_the_servers_html()
    {
        var admin = await portal.SignInAsync("admin@company-a.test");
        var pin = Convert.ToInt32(await MasterAsync("SELECT id FROM pins WHERE company = 'company-a' ORDER BY pin, id LIMIT 1"));
        Assert.Contains($"data-testid=\"pin-code-{pin}\"", await HtmlAsync(admin, "/pins"));

        var operatorPage = await portal.SignInAsync("operator@example.test");
        var exten = (string)(await MasterAsync("SELECT exten FROM extensions WHERE context = 'company-a' ORDER BY exten LIMIT 1"))!;
        Assert.Contains($"data-exten=\"{exten}\"", await HtmlAsync(operatorPage, "/dialplan/context/company-a"));
        await operatorPage.GotoAsync("/dialplan/context/company-a");
        await PortalServer.WaitForCircuitAsync(operatorPage);
        await Assertions.Expect(operatorPage.Locator($"[data-testid=extension][data-exten='{exten}']")).ToBeVisibleAsync();
    }
}
