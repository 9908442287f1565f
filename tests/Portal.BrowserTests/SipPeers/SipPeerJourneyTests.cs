using System.Text;

namespace Portal.BrowserTests.SipPeers;

[Collection(PortalCollection.Name)]
public sealed class SipPeerJourneyTests(PortalServer portal)
{
    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)];

    /// <summary>The input of a Mud field, whether the test id lands on the input or on its wrapper.</summary>
    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    private static async Task OpenAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await PortalServer.WaitForCircuitAsync(page);
    }

    [Fact]
    public async Task Operator_creates_finds_edits_and_deletes_a_peer()
    {
        var page = await portal.SignInAsync("operator@example.test");
        var name = Unique("web-");

        await OpenAsync(page, "/sip-peers/new");
        await Field(page, "peer-name").FillAsync(name);
        await Field(page, "peer-context").FillAsync("nowhere-" + name[4..]);
        await Field(page, "peer-callerid").FillAsync("\"Browser Desk\" <1999>");
        await Field(page, "peer-callerid").BlurAsync();
        await Assertions.Expect(page.GetByTestId("context-warning")).ToBeVisibleAsync();
        await Field(page, "peer-context").FillAsync("company-a");
        await Field(page, "peer-context").BlurAsync();
        await Assertions.Expect(page.GetByTestId("context-warning")).ToHaveCountAsync(0);
        // The generated secret stays hidden until asked for.
        await Assertions.Expect(page.GetByTestId("peer-secret")).ToHaveCountAsync(0);
        await page.GetByTestId("reveal-secret").ClickAsync();
        await Assertions.Expect(Field(page, "peer-secret")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z0-9]{24}$"));
        var secret = await Field(page, "peer-secret").InputValueAsync();
        await page.GetByTestId("save-peer").ClickAsync();

        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/sip-peers/\d+$"));
        await Assertions.Expect(page.GetByTestId("live-on-replicas")).ToContainTextAsync("Live on 2 of 2 replicas");
        await Assertions.Expect(page.GetByTestId("prune-reminder")).ToContainTextAsync($"sip prune realtime peer {name}");

        await OpenAsync(page, "/sip-peers");
        await Field(page, "peer-search").FillAsync(name);
        await Assertions.Expect(page.GetByTestId("peer-count")).ToHaveTextAsync("1–1 of 1");
        await Assertions.Expect(page.GetByTestId("peer-link")).ToHaveTextAsync(name);
        await Assertions.Expect(page.GetByTestId("peers")).ToContainTextAsync("\"Browser Desk\" <1999>");
        await Assertions.Expect(page.GetByTestId("peers")).Not.ToContainTextAsync(secret);
        await page.GetByTestId("peer-link").ClickAsync();

        await Assertions.Expect(Field(page, "peer-name")).ToHaveValueAsync(name);
        await Assertions.Expect(page.GetByTestId("reg-expiry")).ToHaveTextAsync("never registered");
        await Field(page, "peer-callerid").FillAsync("\"Front Desk\" <1998>");
        await page.GetByTestId("save-peer").ClickAsync();
        await Assertions.Expect(page.GetByTestId("live-on-replicas")).ToContainTextAsync("Live on 2 of 2 replicas");
        await Assertions.Expect(Field(page, "peer-callerid")).ToHaveValueAsync("\"Front Desk\" <1998>");

        await page.GetByTestId("delete-peer").ClickAsync();
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("h4")).ToContainTextAsync($"Peer {name} deleted");
        await Assertions.Expect(page.GetByTestId("live-on-replicas")).ToBeVisibleAsync();

        await OpenAsync(page, "/sip-peers");
        await Field(page, "peer-search").FillAsync(name);
        await Assertions.Expect(page.GetByTestId("no-peers")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Operator_imports_a_csv_with_an_error_reads_the_report_then_imports_the_fixed_file()
    {
        var page = await portal.SignInAsync("operator@example.test");
        var prefix = Unique("csv-");
        string Csv(string badHost) =>
            "name,host,context,callerid\r\n" +
            $"{prefix}-1,dynamic,company-a,\"\"\"Desk One\"\" <2101>\"\r\n" +
            $"{prefix}-2,{badHost},company-a,\"\"\"Desk Two\"\" <2102>\"\r\n";

        await OpenAsync(page, "/sip-peers/import");
        await page.Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "peers.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Csv("bad host")) });
        await Assertions.Expect(page.GetByTestId("import-errors-summary")).ToContainTextAsync("1 error(s) in 2 row(s)");
        await Assertions.Expect(page.GetByTestId("issue-line").First).ToHaveTextAsync("3");
        await Assertions.Expect(page.GetByTestId("issue-column").First).ToHaveTextAsync("host");
        await Assertions.Expect(page.GetByTestId("issue-message").First).ToContainTextAsync("Host:");
        await Assertions.Expect(page.GetByTestId("import-apply")).ToHaveCountAsync(0);

        await page.Locator("input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = "peers-fixed.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(Csv("pbx.example.com")) });
        await Assertions.Expect(page.GetByTestId("import-ok")).ToContainTextAsync("2 row(s) checked");
        await page.GetByTestId("import-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("import-done")).ToContainTextAsync("2 peer(s) imported");
        await Assertions.Expect(page.GetByTestId("live-on-replicas")).ToContainTextAsync("Live on 2 of 2 replicas");

        await OpenAsync(page, "/sip-peers");
        await Field(page, "peer-search").FillAsync(prefix);
        await Assertions.Expect(page.GetByTestId("peer-link")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("peer-count")).ToHaveTextAsync("1–2 of 2");
    }

    [Fact]
    public async Task A_change_made_while_the_form_was_open_is_shown_and_the_operator_chooses()
    {
        var page = await portal.SignInAsync("operator@example.test");
        var name = Unique("conflict-");
        await OpenAsync(page, "/sip-peers/new");
        await Field(page, "peer-name").FillAsync(name);
        await Field(page, "peer-context").FillAsync("company-a");
        // As a user tabs on: the context is checked against the dialplan before the save.
        await Field(page, "peer-context").BlurAsync();
        await Assertions.Expect(page.GetByTestId("context-warning")).ToHaveCountAsync(0);
        await page.GetByTestId("save-peer").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/sip-peers/\d+$"));
        await Assertions.Expect(page.GetByTestId("reg-expiry")).ToHaveTextAsync("never registered");

        // Another operator changes the context, and the phone registers, while this form is open.
        await Portal.IntegrationTests.TestCluster.RootSqlAsync("master",
            $"UPDATE asteriskdb.sip SET context = 'company-b', ipaddr = '192.0.2.44', regseconds = UNIX_TIMESTAMP() + 3600 WHERE name = '{name}'");
        await Field(page, "peer-callerid").FillAsync("\"Mine\" <3001>");
        await page.GetByTestId("save-peer").ClickAsync();
        await Assertions.Expect(page.GetByTestId("conflict")).ToContainTextAsync("changed by someone else");
        await Assertions.Expect(page.GetByTestId("conflict-column")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("conflict-column")).ToContainTextAsync("context");
        await Assertions.Expect(page.GetByTestId("conflict-column")).ToContainTextAsync("company-b");

        await page.GetByTestId("take-theirs").ClickAsync();
        await Assertions.Expect(Field(page, "peer-context")).ToHaveValueAsync("company-b");
        await Assertions.Expect(page.GetByTestId("reg-address")).ToHaveTextAsync("192.0.2.44");

        await Portal.IntegrationTests.TestCluster.RootSqlAsync("master", $"UPDATE asteriskdb.sip SET context = 'company-a' WHERE name = '{name}'");
        await Field(page, "peer-callerid").FillAsync("\"Mine\" <3001>");
        await page.GetByTestId("save-peer").ClickAsync();
        await Assertions.Expect(page.GetByTestId("conflict")).ToBeVisibleAsync();
        await page.GetByTestId("overwrite-mine").ClickAsync();
        await Assertions.Expect(page.GetByTestId("conflict")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("live-on-replicas")).ToContainTextAsync("Live on 2 of 2 replicas");
        var row = await Portal.IntegrationTests.Eventually.GetAsync(
            () => Portal.IntegrationTests.TestCluster.RootSqlAsync("master", $"SELECT context, callerid, ipaddr FROM asteriskdb.sip WHERE name = '{name}'"),
            r => r.Contains("Mine"), "the overwrite on the master");
        Assert.Equal("company-b\t\"Mine\" <3001>\t192.0.2.44", row);
    }

    [Fact]
    public async Task The_export_gives_the_filtered_list_as_csv_with_secrets_only_when_asked_and_only_to_operators()
    {
        var page = await portal.SignInAsync("operator@example.test");
        var plain = await page.APIRequest.GetAsync("/sip-peers/export.csv?search=a-100");
        Assert.Equal(200, plain.Status);
        var csv = await plain.TextAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("name,type,host,port,context,callerid,accountcode,", lines[0]);
        Assert.DoesNotContain("secret", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("a-1001,"));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("a-100", l));

        var withSecrets = await (await page.APIRequest.GetAsync("/sip-peers/export.csv?search=a-1001&secrets=true&registration=Never")).TextAsync();
        Assert.Contains(",secret,md5secret,", withSecrets.Split("\r\n")[0]);
        Assert.StartsWith("a-1001,", withSecrets.Split("\r\n")[1]);
        var registered = await (await page.APIRequest.GetAsync("/sip-peers/export.csv?search=a-1001&registration=Registered")).TextAsync();
        Assert.Single(registered.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        // The page's button downloads the filtered list, past Blazor's own link handling.
        await page.GotoAsync("/sip-peers");
        await PortalServer.WaitForCircuitAsync(page);
        await Field(page, "peer-search").FillAsync("b-200");
        await Assertions.Expect(page.GetByTestId("peer-count")).ToHaveTextAsync("1–3 of 3");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-peers").ClickAsync());
        var downloaded = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Equal(4, downloaded.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        var admin = await portal.SignInAsync("admin@company-a.test");
        var refused = await admin.APIRequest.GetAsync("/sip-peers/export.csv", new() { MaxRedirects = 0 });
        Assert.NotEqual(200, refused.Status);
        await admin.GotoAsync("/sip-peers");
        await Assertions.Expect(admin.GetByTestId("forbidden")).ToBeVisibleAsync();
        await Assertions.Expect(admin.GetByTestId("peers")).ToHaveCountAsync(0);
    }
}
