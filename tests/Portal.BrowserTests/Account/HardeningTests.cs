using System.Net;
using System.Text.RegularExpressions;

namespace Portal.BrowserTests.Account;

/// <summary>The Low findings of issue 17 on sign-in and headers, each tried as the attacker or the careless proxy did.</summary>
[Collection(PortalCollection.Name)]
public sealed partial class HardeningTests(PortalServer portal)
{
    [Fact]
    public async Task Sign_in_with_a_foreign_return_url_lands_on_the_portal_signed_in()
    {
        var context = await portal.Browser.NewContextAsync(new() { BaseURL = portal.BaseUrl });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString("https://evil.example/steal"));
        await page.FillAsync("#Input\\.Email", "operator@example.test");
        await page.FillAsync("#Input\\.Password", PortalServer.DemoPassword);
        await page.ClickAsync("button[type=submit]");

        await PortalServer.WaitForCircuitAsync(page);
        Assert.StartsWith(portal.BaseUrl, page.Url);
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("operator@example.test");
    }

    [Theory]
    [InlineData("/Account/LoginWith2fa")]
    [InlineData("/Account/LoginWithRecoveryCode")]
    public async Task An_anonymous_visit_to_a_second_step_page_is_sent_to_sign_in_with_a_message(string path)
    {
        var context = await portal.Browser.NewContextAsync(new() { BaseURL = portal.BaseUrl });
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync(path);

        Assert.Equal(200, response!.Status);
        await page.WaitForURLAsync("**/Account/Login");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign in with your email and password first");
    }

    [Fact]
    public async Task A_sign_out_post_without_its_token_is_a_clear_400_and_the_session_stands()
    {
        var page = await portal.SignInAsync("operator@example.test");
        var cookie = await CookieHeaderAsync(page);
        using var http = Client();
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Logout") { Content = new FormUrlEncodedContent([]) };
        post.Headers.Add("Cookie", cookie);

        using var response = await http.SendAsync(post);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Sign out with the button", await response.Content.ReadAsStringAsync());
        using var get = new HttpRequestMessage(HttpMethod.Get, "/sip-peers/export.csv");
        get.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(get)).StatusCode);
    }

    [Fact]
    public async Task Pages_carry_a_script_policy_and_still_become_interactive()
    {
        var violations = new List<string>();
        var page = await portal.SignInAsync("operator@example.test");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy"))
            {
                violations.Add(message.Text);
            }
        };

        var response = await page.GotoAsync("/tenants");
        await PortalServer.WaitForCircuitAsync(page);
        await Assertions.Expect(page.GetByTestId("tenants")).ToContainTextAsync("company-a");
        await page.GetByLabel("Key").FillAsync("x");

        var headers = await response!.AllHeadersAsync();
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9+/=]+';", headers["content-security-policy"]);
        Assert.Contains("frame-ancestors 'self'", headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("same-origin", headers["referrer-policy"]);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Secret_exports_are_not_stored_by_caches()
    {
        var page = await portal.SignInAsync("operator@example.test");
        var cookie = await CookieHeaderAsync(page);
        using var http = Client();
        foreach (var path in new[] { "/pins/export.csv?tenant=company-a", "/sip-peers/export.csv?secrets=true" })
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, path);
            get.Headers.Add("Cookie", cookie);
            using var response = await http.SendAsync(get);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, path);
        }
    }

    [Fact]
    public async Task The_auth_cookie_is_secure_when_the_proxy_says_the_browser_used_https()
    {
        var secure = await SignInOverHttpAsync("operator@example.test", PortalServer.DemoPassword, ("X-Forwarded-Proto", "https"));
        var plain = await SignInOverHttpAsync("operator@example.test", PortalServer.DemoPassword);

        Assert.Contains("secure", AuthCookie(secure), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", AuthCookie(plain), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Metrics_do_not_tell_how_many_tabs_are_open()
    {
        await portal.SignInAsync("operator@example.test");

        Assert.DoesNotContain("portal_circuits_open", await portal.MetricsAsync());
    }

    [Fact]
    public async Task One_client_guessing_passwords_across_accounts_is_throttled()
    {
        // A client address of its own (the portal believes X-Forwarded-For from loopback), so other tests' sign-ins do not count.
        var client = ("X-Forwarded-For", "203.0.113." + Random.Shared.Next(1, 255));
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var failed = await SignInOverHttpAsync($"guess{attempt}@example.test", "Wrong-Password-2026", client);
            Assert.Contains("Invalid sign-in attempt", await failed.Content.ReadAsStringAsync());
        }

        var throttled = await SignInOverHttpAsync("operator@example.test", PortalServer.DemoPassword, client);

        Assert.Contains("Too many failed sign-ins from your address", await throttled.Content.ReadAsStringAsync());
        Assert.Null(AuthCookie(throttled));
    }

    private HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(portal.BaseUrl) };

    private static async Task<string> CookieHeaderAsync(IPage page) =>
        string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));

    private static string? AuthCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.FirstOrDefault(c => c.StartsWith("portal.auth=", StringComparison.Ordinal)) : null;

    /// <summary>The sign-in form posted as a script would: its antiforgery token and cookie from a GET first.</summary>
    private async Task<HttpResponseMessage> SignInOverHttpAsync(string email, string password, params (string Name, string Value)[] headers)
    {
        using var http = Client();
        using var get = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        foreach (var (name, value) in headers)
        {
            get.Headers.Add(name, value);
        }
        using var form = await http.SendAsync(get);
        var html = await form.Content.ReadAsStringAsync();
        var token = TokenInput().Match(html).Groups[1].Value;
        var antiforgery = form.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var post = new HttpRequestMessage(HttpMethod.Post, "/Account/Login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        foreach (var (name, value) in headers)
        {
            post.Headers.Add(name, value);
        }
        return await http.SendAsync(post);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
