using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests;

namespace Portal.NodeTests;

/// <summary>
/// The real nodes through the browser: the demo's office-closed switch, flipped by company A's admin, decides the next
/// call on a node; /nodes shows each node's manager link from the portal's own connection to it.
/// </summary>
[Collection(NodesCollection.Name)]
public sealed class BrowserToggleTests(PortalServer portal) : IClassFixture<PortalServer>
{
    [Fact]
    public async Task The_switch_flipped_in_the_browser_changes_the_next_call_on_a_node()
    {
        // The portal seeded the demo: its contexts need their extensions.conf stanzas on the nodes.
        await TestNodes.RefreshAsync();
        var page = await portal.SignInAsync("admin@company-a.test");
        var toggle = page.GetByTestId("office-toggle-company-a");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("data-state", new Regex("^(on|off)$"));

        for (var flip = 0; flip < 2; flip++)
        {
            var after = await toggle.GetAttributeAsync("data-state") == "on" ? "off" : "on";
            await page.GetByTestId("office-switch-company-a").ClickAsync();
            await Assertions.Expect(page.GetByTestId("office-node-company-a-replica1")).ToHaveAttributeAsync("data-state", after);

            var log = await TestNodes.CallAsync("node1", "company-a", "s", l => l.Contains("[closed@company-a:1]") || l.Contains("[s@company-a:4]"));
            Assert.Equal(after == "on", log.Contains("[closed@company-a:1]"));
        }
    }

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
