namespace Portal.BrowserTests.Account;

[Collection(PortalCollection.Name)]
public sealed class SignInTests(PortalServer portal)
{
    [Fact]
    public async Task Operator_signs_in_and_sees_the_operator_navigation()
    {
        var page = await portal.SignInAsync("operator@example.test");

        await Assertions.Expect(page.GetByTestId("operator-nav")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("tile-peers")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("operator@example.test");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Portal.IntegrationTests.TestCluster.Repo, "docs", "operator-home.png") });

        await page.GotoAsync("/tenants");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("tenants")).ToContainTextAsync("company-a");
    }

    [Fact]
    public async Task Tenant_admin_cannot_open_operator_pages_not_even_by_typing_their_url()
    {
        var page = await portal.SignInAsync("admin@company-a.test");
        await Assertions.Expect(page.GetByTestId("user-tenant")).ToHaveTextAsync("company-a");
        await Assertions.Expect(page.GetByTestId("operator-nav")).ToHaveCountAsync(0);

        foreach (var url in new[] { "/tenants", "/schema" })
        {
            await page.GotoAsync(url);
            await Assertions.Expect(page.GetByTestId("forbidden")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("tenants")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("schema-findings")).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        var context = await portal.Browser.NewContextAsync(new() { BaseURL = portal.BaseUrl });
        var page = await context.NewPageAsync();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#Input\\.Email", "locked@example.test");
            await page.FillAsync("#Input\\.Password", "wrong-password-" + attempt);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForLoadStateAsync();
        }

        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", "locked@example.test");
        await page.FillAsync("#Input\\.Password", PortalServer.DemoPassword);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForURLAsync("**/Account/Lockout");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Locked out");
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var page = await portal.SignInAsync("admin@company-b.test");
        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync("**/Account/Login**");

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/Account/Login**");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
    }

    [Fact]
    public async Task User_changes_own_password_and_signs_in_with_the_new_one()
    {
        var page = await portal.SignInAsync("changer@example.test");
        await page.GotoAsync("/Account/Manage/ChangePassword");
        await page.FillAsync("#Input\\.OldPassword", PortalServer.DemoPassword);
        await page.FillAsync("#Input\\.NewPassword", "Changed-Password-2026");
        await page.FillAsync("#Input\\.ConfirmPassword", "Changed-Password-2026");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your password has been changed");

        var again = await portal.SignInAsync("changer@example.test", "Changed-Password-2026");
        await Assertions.Expect(again.GetByTestId("user-name")).ToHaveTextAsync("changer@example.test");
    }

    [Fact]
    public async Task Two_factor_setup_offers_an_authenticator_key()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/Account/Manage/TwoFactorAuthentication");
        await page.Locator("a[href='Account/Manage/EnableAuthenticator']").First.ClickAsync();
        await page.WaitForURLAsync("**/Account/Manage/EnableAuthenticator");
        await Assertions.Expect(page.Locator("kbd")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^([a-z0-9]{4} )+[a-z0-9]{1,4}$"));
        await Assertions.Expect(page.GetByTestId("totp-qr").Locator("svg")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Two_factor_sign_in_asks_for_the_authenticator_code_takes_each_code_once_and_needs_the_password_to_turn_off()
    {
        var page = await portal.SignInAsync("totp@example.test");
        await page.GotoAsync("/Account/Manage/EnableAuthenticator");
        var key = await page.Locator("kbd").InnerTextAsync();
        var now = DateTimeOffset.UtcNow;
        await page.FillAsync("#Input\\.Code", Totp.Code(key, now));
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("recovery codes");

        // The next time step's code: Identity accepts it already, and it is not the one just used to turn 2FA on.
        var code = Totp.Code(key, now.AddSeconds(30));
        var again = await TwoFactorSignInAsync(code);
        await PortalServer.WaitForCircuitAsync(again);
        await Assertions.Expect(again.GetByTestId("user-name")).ToHaveTextAsync("totp@example.test");

        var replayed = await TwoFactorSignInAsync(code);
        await Assertions.Expect(replayed.GetByRole(AriaRole.Alert)).ToContainTextAsync("Invalid authenticator code");
        Assert.Contains("/Account/LoginWith2fa", replayed.Url);

        await again.GotoAsync("/Account/Manage/Disable2fa");
        await again.FillAsync("#Password", "not-my-password");
        await again.ClickAsync("button[type=submit]");
        await Assertions.Expect(again.GetByRole(AriaRole.Alert).Filter(new() { HasTextString = "Two-factor authentication stays on" })).ToBeVisibleAsync();
        await again.FillAsync("#Password", PortalServer.DemoPassword);
        await again.ClickAsync("button[type=submit]");
        await Assertions.Expect(again.GetByRole(AriaRole.Alert).Filter(new() { HasTextString = "2fa has been disabled" })).ToBeVisibleAsync();
    }

    /// <summary>A fresh browser signs in as the two-factor user: the password, then the given code.</summary>
    private async Task<IPage> TwoFactorSignInAsync(string code)
    {
        var context = await portal.Browser.NewContextAsync(new() { BaseURL = portal.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#Input\\.Email", "totp@example.test");
        await page.FillAsync("#Input\\.Password", PortalServer.DemoPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync("**/Account/LoginWith2fa**");
        await page.FillAsync("#Input\\.TwoFactorCode", code);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForLoadStateAsync();
        return page;
    }
}
