using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Asterisk.Dialplan;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.Nodes;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Pins;
using Portal.Web.Features.SipPeers;
using Portal.Web.Features.Voicemail;

namespace Portal.Web.Setup;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>The demo users' password; PORTAL_DEMO_PASSWORD overrides it (scripts/run passes it through).</summary>
    [MinLength(12, ErrorMessage = "Demo:Password must have at least 12 characters, as every portal password does.")]
    public string Password { get; set; } = "Demo-Portal-2026";
}

/// <summary>
/// The demo of <c>scripts/run</c>: tenants company-a and company-b, their users, and Asterisk data built from the
/// dialplan editor's templates (<see cref="DialplanTemplates"/>: the office-closed auto-attendant, the *20/*21
/// feature codes and the flag row, the PIN-authenticated long-distance route, direct-dial desks), written for the
/// cluster's oldest Asterisk (<see cref="ClusterAsterisk"/>). Also ensures the roles exist on every start.
/// </summary>
public sealed class DemoSeed(
    PortalDb portal,
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roles,
    MasterWriter writer,
    ClusterAsterisk cluster,
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
        var asterisk = await cluster.OldestAsync(ct);
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
                AddSteps(db, DialplanTemplates.DirectDial(key, number, $"SIP/{prefix}-{number}", $"{number}@{key}"));
            }

            AddSteps(db, DialplanTemplates.AutoAttendant(key, key, $"{first + 1}@{key}", asterisk));
            AddSteps(db, DialplanTemplates.LongDistance(key + "-ld", accountcode, "SIP/trunk", asterisk));

            for (var i = 0; i < 5; i++)
            {
                db.Pins.Add(new Pin { Company = key, Code = $"{accountcode}-{4000 + 111 * i}", Active = i == 4 ? "no" : "yes" });
            }
        }, ct);
    }

    private static void AddSteps(AsteriskDb db, IEnumerable<ExtensionRow> rows) => db.Extensions.AddRange(rows.Select(Extension.From));
}
