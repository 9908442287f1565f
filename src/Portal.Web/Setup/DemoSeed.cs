using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Pins;
using Portal.Web.Features.SipPeers;
using Portal.Web.Features.Voicemail;

namespace Portal.Web.Setup;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>The demo users' password; PORTAL_DEMO_PASSWORD overrides it (scripts/run passes it through).</summary>
    public string Password { get; set; } = "Demo-Portal-2026";
}

/// <summary>
/// The demo of <c>scripts/run</c>: tenants company-a and company-b, their users, and Asterisk data built on the
/// classic realtime examples (the office-closed auto-attendant, the *20/*21 feature codes and the flag row, the
/// PIN-authenticated long-distance route). Also ensures the roles exist on every start.
/// </summary>
public sealed class DemoSeed(
    PortalDb portal,
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roles,
    MasterWriter writer,
    IOptions<DemoOptions> options)
{
    private static readonly Caller Seeder = new("demo-seed", IsOperator: true, TenantKey: null);

    public async Task EnsureRolesAsync()
    {
        foreach (var role in new[] { Caller.OperatorRole, Caller.TenantAdminRole })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    public async Task SeedAsync(CancellationToken ct)
    {
        await EnsureRolesAsync();
        var password = Environment.GetEnvironmentVariable("PORTAL_DEMO_PASSWORD") is { Length: > 0 } fromEnv ? fromEnv : options.Value.Password;
        await EnsureUserAsync("operator@example.test", password, Caller.OperatorRole, null);
        foreach (var (key, name, accountcode, extension) in new[] { ("company-a", "Company A", "1111", 1000), ("company-b", "Company B", "2222", 2000) })
        {
            var tenant = await portal.Tenants.Include(t => t.Contexts).SingleOrDefaultAsync(t => t.Key == key, ct);
            if (tenant is null)
            {
                tenant = new Tenant { Key = key, Name = name, Contexts = [new() { Context = key }, new() { Context = key + "-ld" }], Toggles = [new OfficeToggle { Key = key }] };
                portal.Tenants.Add(tenant);
            }
            // Also on a demo made before tenants had accountcodes.
            tenant.Accountcode ??= accountcode;
            await portal.SaveChangesAsync(ct);
            await EnsureUserAsync($"admin@{key}.test", password, Caller.TenantAdminRole, tenant.Id);
            await SeedAsteriskAsync(key, accountcode, extension, ct);
        }
    }

    private async Task EnsureUserAsync(string email, string password, string role, int? tenantId)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, TenantId = tenantId };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, role);
        }
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Demo user {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }

    private async Task SeedAsteriskAsync(string key, string accountcode, int first, CancellationToken ct)
    {
        await writer.WriteAsync(Seeder, "seed demo", async (scope, token) =>
        {
            var db = scope.Db;
            if (await db.Extensions.AnyAsync(e => e.Context == key, token))
            {
                return;
            }
            var prefix = key[^1];
            for (var i = 1; i <= 3; i++)
            {
                var number = (first + i).ToString();
                db.SipPeers.Add(new SipPeer
                {
                    Name = $"{prefix}-{number}",
                    Callerid = $"\"{key} desk {i}\" <{number}>",
                    Context = key,
                    Accountcode = accountcode,
                    Host = "dynamic",
                    Type = "friend",
                    Nat = "no",
                    Secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).ToLowerInvariant(),
                    Dtmfmode = "rfc2833",
                    Disallow = "all",
                    Allow = "ulaw;alaw;gsm",
                    Mailbox = $"{number}@{key}",
                    Qualify = "yes",
                });
                db.VoicemailBoxes.Add(new VoicemailBox
                {
                    CustomerId = key,
                    Context = key,
                    Mailbox = number,
                    Password = (1000 + i).ToString(),
                    Fullname = $"{key} desk {i}",
                    Email = $"desk{i}@{key}.test",
                });
                db.Extensions.Add(Step(key, number, 1, "Dial", $"SIP/{prefix}-{number}|20|tr"));
                db.Extensions.Add(Step(key, number, 2, "VoiceMail", $"{number}@{key}|u"));
            }

            // The office-closed auto-attendant of the classic examples. RealTime() copies the flag row's columns into
            // channel variables (flag_appdata) first, because a multi-argument function inside $[ ] gets one argument
            // under pbx_realtime=1.4 and the test would silently fail.
            db.Extensions.Add(Step(key, "s", 1, "Answer", ""));
            db.Extensions.Add(Step(key, "s", 2, "RealTime", $"extensions|app|{key}|flag_"));
            db.Extensions.Add(Step(key, "s", 3, "GotoIf", $"$[\"${{flag_appdata}}\" = \"on\"]?closed|1"));
            db.Extensions.Add(Step(key, "s", 4, "Background", "welcome"));
            db.Extensions.Add(Step(key, "s", 5, "WaitExten", "10"));
            db.Extensions.Add(Step(key, "closed", 1, "Playback", "office-closed"));
            db.Extensions.Add(Step(key, "closed", 2, "VoiceMail", $"{first + 1}@{key}|u"));
            db.Extensions.Add(Step(key, "closed", 3, "Hangup", ""));
            db.Extensions.Add(Step(key, "*20", 1, "RealTimeUpdate", $"extensions|app|{key}|appdata|on"));
            db.Extensions.Add(Step(key, "*20", 2, "Playback", "activated"));
            db.Extensions.Add(Step(key, "*21", 1, "RealTimeUpdate", $"extensions|app|{key}|appdata|off"));
            db.Extensions.Add(Step(key, "*21", 2, "Playback", "de-activated"));
            // The flag row itself: app is the tenant key, appdata on/off. It sits on an exten nobody dials.
            db.Extensions.Add(Step(key, "office-closed", 1, key, "off"));

            // The PIN-authenticated long-distance route: the PIN is looked up as <accountcode>-<digits>.
            var ld = key + "-ld";
            db.Extensions.Add(Step(ld, "_1NXXNXXXXXX", 1, "Read", "pin|agent-pass|6"));
            db.Extensions.Add(Step(ld, "_1NXXNXXXXXX", 2, "RealTime", $"pins|pin|{accountcode}-${{pin}}|pin_"));
            db.Extensions.Add(Step(ld, "_1NXXNXXXXXX", 3, "GotoIf", "$[\"${pin_active}\" != \"yes\"]?6"));
            db.Extensions.Add(Step(ld, "_1NXXNXXXXXX", 4, "Dial", "SIP/trunk/${EXTEN}|60"));
            db.Extensions.Add(Step(ld, "_1NXXNXXXXXX", 5, "Hangup", ""));
            db.Extensions.Add(Step(ld, "_1NXXNXXXXXX", 6, "Playback", "invalid"));
            db.Extensions.Add(Step(ld, "_1NXXNXXXXXX", 7, "Hangup", ""));

            for (var i = 0; i < 5; i++)
            {
                db.Pins.Add(new Pin { Company = key, Code = $"{accountcode}-{4000 + 111 * i}", Active = i == 4 ? "no" : "yes" });
            }
        }, ct);
    }

    private static Extension Step(string context, string exten, int priority, string app, string appdata) =>
        new() { Context = context, Exten = exten, Priority = priority, App = app, Appdata = appdata };
}
