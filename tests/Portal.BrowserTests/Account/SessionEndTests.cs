using System.Net;
using Portal.IntegrationTests;

namespace Portal.BrowserTests.Account;

/// <summary>
/// The attack of issue 17: a tenant admin's cookie, copied while they are signed in, keeps exporting every PIN of the
/// tenant after an operator took their access away or after they signed out. Each test takes the cookie, takes the
/// access away, and waits (with a generous deadline) for the cookie to be refused.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class SessionEndTests(PortalServer portal)
{
    private static Task<object?> PortalSqlAsync(string sql) => TestCluster.ScalarAsync(TestCluster.Database().PortalConnectionString, sql);

    [Fact]
    public Task Locking_a_user_refuses_their_copied_cookie() =>
        CopiedCookieIsRefusedAfterAsync((email, _) => OnUsersRowAsync(email, "Lock"));

    [Fact]
    public Task Resetting_a_password_refuses_the_copied_cookie() =>
        CopiedCookieIsRefusedAfterAsync((email, _) => OnUsersRowAsync(email, "Reset password"));

    [Fact]
    public Task Removing_a_user_from_the_database_refuses_their_copied_cookie() =>
        CopiedCookieIsRefusedAfterAsync((email, _) => PortalSqlAsync($"DELETE FROM AspNetUsers WHERE NormalizedEmail = UPPER('{email}')"));

    [Fact]
    public Task Moving_a_user_to_another_tenant_in_the_database_refuses_their_copied_cookie() =>
        CopiedCookieIsRefusedAfterAsync((email, _) => PortalSqlAsync(
            $"UPDATE AspNetUsers SET TenantId = (SELECT id FROM tenants WHERE tenant_key = 'company-b') WHERE NormalizedEmail = UPPER('{email}')"));

    [Fact]
    public Task Taking_a_role_away_in_the_database_refuses_the_copied_cookie() =>
        CopiedCookieIsRefusedAfterAsync((email, _) => PortalSqlAsync(
            $"DELETE FROM AspNetUserRoles WHERE UserId = (SELECT Id FROM AspNetUsers WHERE NormalizedEmail = UPPER('{email}'))"));

    [Fact]
    public Task Signing_out_refuses_a_cookie_copied_before() =>
        CopiedCookieIsRefusedAfterAsync(async (_, page) =>
        {
            await page.GetByTestId("sign-out").ClickAsync();
            await page.WaitForURLAsync("**/Account/Login**");
        });

    [Fact]
    public async Task An_open_tab_of_a_locked_tenant_admin_cannot_add_a_mailbox_and_shows_sign_in()
    {
        var (email, page) = await NewTenantAdminAsync();
        var mailbox = Random.Shared.Next(100_000, 999_999).ToString();
        await page.GotoAsync("/voicemail/new");
        await PortalServer.WaitForCircuitAsync(page);
        await page.GetByTestId("mailbox-number").FillAsync(mailbox);
        await page.GetByTestId("mailbox-password").FillAsync("4321");
        await page.GetByTestId("mailbox-fullname").FillAsync("Locked " + mailbox);

        await OnUsersRowAsync(email, "Lock");
        try
        {
            await page.GetByTestId("mailbox-save").ClickAsync(new() { Timeout = 5000 });
        }
        catch (TimeoutException)
        {
            // The tab may already be on its way to sign-in: the save button is gone, which is the point too.
        }

        await page.WaitForURLAsync("**/Account/Login**");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        Assert.Equal(0L, Convert.ToInt64(await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString,
            $"SELECT COUNT(*) FROM voicemail WHERE mailbox = '{mailbox}'")));
    }

    /// <summary>A new tenant admin signs in, their cookie is copied and works; then the access is taken away, and the copy must be refused.</summary>
    private async Task CopiedCookieIsRefusedAfterAsync(Func<string, IPage, Task> takeAway)
    {
        var (email, page) = await NewTenantAdminAsync();
        var cookie = await CopiedCookie.TakeAsync(page, portal.BaseUrl);
        Assert.Equal(HttpStatusCode.OK, await cookie.ExportStatusAsync());

        await takeAway(email, page);

        await cookie.RefusedAsync();
    }

    /// <summary>A tenant admin of company-a of their own (so locking them disturbs no other test), signed in.</summary>
    private async Task<(string Email, IPage Page)> NewTenantAdminAsync()
    {
        var email = $"victim-{Guid.NewGuid().ToString("N")[..10]}@company-a.test";
        // A copy of the demo's company-a admin: same password hash and role, its own id, email and stamps.
        await PortalSqlAsync(
            "INSERT INTO AspNetUsers (Id, TenantId, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed, PasswordHash, SecurityStamp, ConcurrencyStamp, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount) " +
            $"SELECT UUID(), TenantId, '{email}', UPPER('{email}'), '{email}', UPPER('{email}'), 1, PasswordHash, UUID(), UUID(), 0, 0, 1, 0 FROM AspNetUsers WHERE NormalizedEmail = 'ADMIN@COMPANY-A.TEST'");
        await PortalSqlAsync(
            "INSERT INTO AspNetUserRoles (UserId, RoleId) SELECT u.Id, r.RoleId FROM AspNetUsers u, AspNetUserRoles r " +
            $"WHERE u.NormalizedEmail = UPPER('{email}') AND r.UserId = (SELECT Id FROM AspNetUsers WHERE NormalizedEmail = 'ADMIN@COMPANY-A.TEST')");
        return (email, await portal.SignInAsync(email));
    }

    /// <summary>The operator clicks a button on the user's row of /tenants.</summary>
    private async Task OnUsersRowAsync(string email, string button)
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/tenants");
        await PortalServer.WaitForCircuitAsync(page);
        var row = page.GetByTestId("users").Locator("tr", new() { HasText = email });
        await row.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar, .mud-alert").First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>The signed-in browser's cookies, replayed by another client as an attacker who copied them would.</summary>
    private sealed class CopiedCookie(string baseUrl, string header)
    {
        public static async Task<CopiedCookie> TakeAsync(IPage page, string baseUrl)
        {
            var cookies = await page.Context.CookiesAsync();
            return new CopiedCookie(baseUrl, string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        }

        public async Task<HttpStatusCode> ExportStatusAsync()
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(baseUrl) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/pins/export.csv");
            request.Headers.Add("Cookie", header);
            using var response = await http.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Contains("/Account/Login", response.Headers.Location?.ToString());
            }
            return response.StatusCode;
        }

        /// <summary>Asks until the export is refused: within seconds, so a 30-second deadline only catches a cookie that keeps working.</summary>
        public async Task RefusedAsync()
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var status = await ExportStatusAsync();
            while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
                status = await ExportStatusAsync();
            }
            Assert.Contains(status, new[] { HttpStatusCode.Redirect, HttpStatusCode.Unauthorized });
        }
    }
}
