using Portal.IntegrationTests;

namespace Portal.BrowserTests.Voicemail;

/// <summary>Issue 17: two tabs on one mailbox; the second, stale, save overwrote the first in silence.</summary>
[Collection(PortalCollection.Name)]
public sealed class VoicemailConflictTests(PortalServer portal)
{
    [Fact]
    public async Task A_stale_second_tab_gets_a_conflict_and_overwriting_is_the_users_choice()
    {
        var mailbox = "39" + Random.Shared.Next(100, 999);
        await TestCluster.RootSqlAsync("master",
            $"INSERT INTO asteriskdb.voicemail (customer_id, context, mailbox, password, fullname, email, tz) VALUES ('company-a', 'company-a', '{mailbox}', '4321', 'Reception', '', 'european')");
        var id = await TestCluster.RootSqlAsync("master", $"SELECT uniqueid FROM asteriskdb.voicemail WHERE context = 'company-a' AND mailbox = '{mailbox}'");
        try
        {
            var first = await portal.SignInAsync("admin@company-a.test");
            var second = await portal.SignInAsync("admin@company-a.test");
            foreach (var tab in new[] { first, second })
            {
                await tab.GotoAsync($"/voicemail/{id}");
                await PortalServer.WaitForCircuitAsync(tab);
                await Assertions.Expect(tab.Locator("input[data-testid=mailbox-fullname], [data-testid=mailbox-fullname] input")).ToHaveValueAsync("Reception");
            }

            await first.Locator("input[data-testid=mailbox-fullname], [data-testid=mailbox-fullname] input").FillAsync("Front desk");
            await first.GetByTestId("mailbox-save").ClickAsync();
            await Assertions.Expect(first.Locator(".mud-snackbar").Last).ToContainTextAsync("saved");

            await second.Locator("input[data-testid=mailbox-fullname], [data-testid=mailbox-fullname] input").FillAsync("Sales");
            await second.GetByTestId("mailbox-save").ClickAsync();
            await Assertions.Expect(second.GetByTestId("conflict")).ToContainTextAsync("changed by someone else");
            Assert.Equal("Front desk", await TestCluster.RootSqlAsync("master", $"SELECT fullname FROM asteriskdb.voicemail WHERE uniqueid = {id}"));

            await second.GetByTestId("conflict-overwrite").ClickAsync();
            await Assertions.Expect(second.GetByTestId("conflict")).ToHaveCountAsync(0);
            await Assertions.Expect(second.Locator(".mud-snackbar").Last).ToContainTextAsync("saved");
            Assert.Equal("Sales", await TestCluster.RootSqlAsync("master", $"SELECT fullname FROM asteriskdb.voicemail WHERE uniqueid = {id}"));
        }
        finally
        {
            await TestCluster.RootSqlAsync("master", $"DELETE FROM asteriskdb.voicemail WHERE uniqueid = {id}");
        }
    }
}
