using System.Collections.Concurrent;
using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;

namespace Portal.Web.Account;

/// <summary>
/// What the sign-in page does besides Identity's per-user lockout. Failed sign-ins are counted per client address,
/// so one client cannot try passwords across many accounts (nor lock them all out); and an unknown email costs the
/// same password-hash work as a known one, so the answer's timing does not tell which emails have accounts.
/// </summary>
public sealed class SignInGuard(IPasswordHasher<PortalUser> hasher, TimeProvider clock)
{
    /// <summary>Failed sign-ins one client address may make per <see cref="Window"/>.</summary>
    public const int FailuresPerWindow = 20;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly Lazy<string> unknownUserHash = new(() => hasher.HashPassword(new PortalUser(), Guid.NewGuid().ToString()));
    private readonly ConcurrentDictionary<string, (DateTimeOffset Since, int Failures)> failures = new();

    public bool IsThrottled(HttpContext http) =>
        failures.TryGetValue(Client(http), out var seen) && clock.GetUtcNow() - seen.Since < Window && seen.Failures >= FailuresPerWindow;

    public void Failed(HttpContext http)
    {
        var now = clock.GetUtcNow();
        failures.AddOrUpdate(Client(http), _ => (now, 1), (_, seen) => now - seen.Since < Window ? (seen.Since, seen.Failures + 1) : (now, 1));
        if (failures.Count > 10_000)
        {
            foreach (var old in failures.Where(f => now - f.Value.Since >= Window).ToList())
            {
                failures.TryRemove(old);
            }
        }
    }

    /// <summary>The hash check a known email's wrong password costs, spent on an email without an account.</summary>
    public void SpendUnknownUserHash(string password) => hasher.VerifyHashedPassword(new PortalUser(), unknownUserHash.Value, password);

    // The address after UseForwardedHeaders: the browser's, when the portal runs behind a configured proxy.
    private static string Client(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "";
}
