using Microsoft.Playwright;
using Portal.BrowserTests;

namespace Portal.NodeTests;

/// <summary>/nodes shows each real node's manager link live, from the portal's own connection to it.</summary>
[Collection(NodesCollection.Name)]
public sealed class BrowserNodeLinkTests(PortalServer portal) : IClassFixture<PortalServer>
{
    [Fact]
    public async Task The_nodes_page_shows_both_nodes_connected_with_their_Asterisk_version()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/nodes");

        foreach (var node in TestNodes.Names)
        {
            var link = page.GetByTestId("link-" + node);
            await Assertions.Expect(link).ToHaveAttributeAsync("data-status", "Connected");
            await Assertions.Expect(link).ToContainTextAsync("Asterisk 11.25.3");
        }
    }
}
