using System.IO.Compression;

namespace Portal.BrowserTests.Nodes;

[Collection(PortalCollection.Name)]
public sealed class NodesPageTests(PortalServer portal)
{
    private static readonly string[] DemoContexts = ["company-a", "company-a-ld", "company-b", "company-b-ld"];

    [Fact]
    public async Task Operator_adds_a_node_and_gets_an_extensions_conf_with_a_realtime_switch_for_every_demo_context()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/nodes");
        await PortalServer.WaitForCircuitAsync(page);
        var name = "pbx-" + Guid.NewGuid().ToString("N")[..6];

        await page.Locator("input[data-testid=node-name], [data-testid=node-name] input").FillAsync(name);
        // Loopback and a closed port: the page's checks try the replica at once, and find nothing there.
        await page.Locator("input[data-testid=node-replica-host], [data-testid=node-replica-host] input").FillAsync("127.0.0.1");
        await page.Locator("input[data-testid=node-replica-port], [data-testid=node-replica-port] input").FillAsync("1");
        await page.GetByTestId("save-node").ClickAsync();

        await Assertions.Expect(page.GetByTestId("node-detail")).ToContainTextAsync(name);
        // The grid pages by ten: find the node among whatever nodes the cluster already has.
        await page.Locator("input[data-testid=node-search], [data-testid=node-search] input").FillAsync(name);
        await Assertions.Expect(page.GetByTestId($"freshness-{name}")).ToHaveTextAsync("never downloaded");
        await Assertions.Expect(page.GetByTestId("node-checks").Locator("[data-state=Failed]")).ToContainTextAsync("127.0.0.1:1");
        await Assertions.Expect(page.GetByTestId("node-steps")).ToContainTextAsync("asterisk -rx 'sip prune realtime all'");

        await page.Locator(".mud-tab", new() { HasTextString = "extensions.conf" }).ClickAsync();
        var file = page.GetByTestId("file-extensions.conf");
        foreach (var context in DemoContexts)
        {
            await Assertions.Expect(file).ToContainTextAsync($"[{context}]\nswitch => Realtime/@");
        }

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-all").ClickAsync());
        Assert.Equal($"node-{name}.zip", download.SuggestedFilename);
        using (var zip = ZipFile.OpenRead(await download.PathAsync()))
        {
            var extensions = zip.GetEntry($"{name}/extensions.conf")!;
            using var reader = new StreamReader(extensions.Open());
            Assert.Contains("[company-b-ld]\nswitch => Realtime/@\n", await reader.ReadToEndAsync());
        }
        await page.GetByLabel("Refresh").ClickAsync();
        await Assertions.Expect(page.GetByTestId($"freshness-{name}")).ToHaveTextAsync("up to date");
    }

    [Fact]
    public async Task A_tenant_admin_gets_neither_the_page_nor_the_files()
    {
        var page = await portal.SignInAsync("admin@company-a.test");

        await page.GotoAsync("/nodes");
        await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("nodes")).ToHaveCountAsync(0);

        var response = await page.APIRequest.GetAsync("/nodes/1/files", new() { MaxRedirects = 0 });
        Assert.NotEqual(200, response.Status);
    }
}
