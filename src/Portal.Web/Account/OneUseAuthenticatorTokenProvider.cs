using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;

namespace Portal.Web.Account;

/// <summary>
/// Identity's authenticator codes, each good once: a code seen over a shoulder or in a proxy log stays valid for
/// about two minutes (Identity accepts two time steps either side), and without this it signed in a second time.
/// The last accepted code and when are kept as a user token.
/// </summary>
public sealed class OneUseAuthenticatorTokenProvider(TimeProvider clock) : AuthenticatorTokenProvider<PortalUser>
{
    private const string Store = "[PortalAuthenticator]";
    private const string LastCode = "LastCode";

    /// <summary>Longer than any code stays valid (five 30-second steps).</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(3);

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<PortalUser> manager, PortalUser user)
    {
        if (!await base.ValidateAsync(purpose, token, manager, user))
        {
            return false;
        }
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (await manager.GetAuthenticationTokenAsync(user, Store, LastCode) is { } last
            && last.Split('|') is [var code, var at]
            && code == token
            && now - long.Parse(at, System.Globalization.CultureInfo.InvariantCulture) < Remembered.TotalSeconds)
        {
            return false;
        }
        await manager.SetAuthenticationTokenAsync(user, Store, LastCode, $"{token}|{now}");
        return true;
    }
}
