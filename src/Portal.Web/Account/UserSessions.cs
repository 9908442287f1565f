using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Replication;

namespace Portal.Web.Account;

/// <summary>A user's sessions ended: all of them (<see cref="SessionId"/> null) or one (a sign-out).</summary>
public sealed record SessionsEnded(string UserId, string? SessionId);

/// <summary>
/// Server-side sessions. The auth cookie carries a session id; every request and every open circuit checks that its
/// row still exists and that the user still has the security stamp, the roles and the tenant the cookie was issued
/// with, and is not locked. Taking access away (sign-out, lock, removal, role or tenant change, password reset) so
/// ends it within seconds, not when Identity's 30-minute stamp check comes round. Circuits in this process hear of an
/// ending at once through <see cref="Ended"/>; those of other portal instances on their next check.
/// </summary>
public sealed class UserSessions(
    IDbContextFactory<PortalDb> master, ReadSource reads, IOptions<IdentityOptions> identity, TimeProvider clock, ILogger<UserSessions> log)
{
    public const string SessionClaim = "portal:session";

    /// <summary>Sessions live at most this long whatever the cookie's sliding expiry says: their rows are deleted then.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>How long one check's answer is reused: the requests of one page load share it, a revocation waits for it at most.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (DateTimeOffset At, bool Live)> checks = new();

    /// <summary>Raised after sessions were ended in this process, so the circuits of those sessions sign out at once.</summary>
    public event Action<SessionsEnded>? Ended;

    public static string? SessionId(ClaimsPrincipal user) => user.FindFirstValue(SessionClaim);

    /// <summary>A sign-in: a new session row for the user and its id in the principal the cookie will carry.</summary>
    public async Task StartAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        var userId = user.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType)
            ?? throw new InvalidOperationException("A sign-in without a user id.");
        var id = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await master.CreateDbContextAsync(ct);
        db.Sessions.Add(new PortalSession { Id = id, UserId = userId, CreatedAt = now });
        await db.SaveChangesAsync(ct);
        await db.Sessions.Where(s => s.CreatedAt < now - Lifetime).ExecuteDeleteAsync(ct);
        ((ClaimsIdentity)user.Identity!).AddClaim(new Claim(SessionClaim, id));
    }

    /// <summary>
    /// A sign-out: the session's row goes, so a copy of its cookie is refused from now on, and its open circuits
    /// sign out at once. A sign-in that replaces the session in the same browser (<paramref name="replaced"/>)
    /// does not tell them: they belong to this browser, and find out at their next check that they must reload.
    /// </summary>
    public async Task EndAsync(ClaimsPrincipal user, bool replaced, CancellationToken ct)
    {
        if (SessionId(user) is not { } id || user.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType) is not { } userId)
        {
            return;
        }
        await using var db = await master.CreateDbContextAsync(ct);
        await db.Sessions.Where(s => s.Id == id).ExecuteDeleteAsync(ct);
        if (!replaced)
        {
            Announce(new SessionsEnded(userId, id));
        }
    }

    /// <summary>
    /// Access taken away: every session of the user ends, here at once and on other instances at their next check.
    /// Called outside a transaction (Identity's writes commit one by one), so the circuits told hear of rows already gone.
    /// </summary>
    public async Task EndAllAsync(PortalDb db, string userId, CancellationToken ct)
    {
        await db.Sessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);
        Announce(new SessionsEnded(userId, null));
    }

    private void Announce(SessionsEnded ended)
    {
        checks.Clear();
        // Each circuit on its own: one that is closing must not fail the command that took the access away.
        foreach (var circuit in Ended?.GetInvocationList().Cast<Action<SessionsEnded>>() ?? [])
        {
            try
            {
                circuit(ended);
            }
            catch (Exception e)
            {
                log.LogWarning(e, "A circuit of {User} could not be told that its session ended; it finds out at its next check", ended.UserId);
            }
        }
    }

    /// <summary>
    /// Whether the principal's session still stands: its row exists and the user is as the cookie says. Read where
    /// <see cref="ReadSource"/> says, so sign-ins keep working while the master is down.
    /// </summary>
    public async Task<bool> IsLiveAsync(ClaimsPrincipal user, CancellationToken ct)
    {
        if (SessionId(user) is not { } id)
        {
            return false;
        }
        var now = clock.GetUtcNow();
        if (checks.TryGetValue(id, out var known) && now - known.At < CacheFor)
        {
            return known.Live;
        }
        var live = await CheckAsync(user, id, ct);
        checks[id] = (now, live);
        if (checks.Count > 10_000)
        {
            foreach (var old in checks.Where(c => now - c.Value.At >= CacheFor).ToList())
            {
                checks.TryRemove(old);
            }
        }
        return live;
    }

    private async Task<bool> CheckAsync(ClaimsPrincipal user, string id, CancellationToken ct)
    {
        var claims = identity.Value.ClaimsIdentity;
        var userId = user.FindFirstValue(claims.UserIdClaimType);
        await using var db = await reads.Portal.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var state = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && db.Sessions.Any(s => s.Id == id && s.UserId == u.Id))
            .Select(u => new
            {
                u.SecurityStamp,
                u.LockoutEnd,
                TenantKey = u.Tenant == null ? null : u.Tenant.Key,
                Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, r => r.RoleId, role => role.Id, (_, role) => role.Name).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (state is null)
        {
            log.LogInformation("Session of {User} refused: it was ended or the user was removed", user.Identity?.Name);
            return false;
        }
        var roles = user.FindAll(claims.RoleClaimType).Select(c => c.Value).Order(StringComparer.Ordinal);
        var live = state.SecurityStamp == user.FindFirstValue(claims.SecurityStampClaimType)
            && (state.LockoutEnd is null || state.LockoutEnd <= now)
            && state.TenantKey == user.FindFirstValue(Caller.TenantClaim)
            && roles.SequenceEqual(state.Roles.Order(StringComparer.Ordinal));
        if (!live)
        {
            log.LogInformation("Session of {User} refused: the user was locked or their password, role or tenant changed", user.Identity?.Name);
        }
        return live;
    }

    /// <summary>The cookie's check on every request: a session that no longer stands signs the browser out.</summary>
    public async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is null || !await IsLiveAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }
}
