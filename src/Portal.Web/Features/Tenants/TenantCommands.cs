using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Replication;

namespace Portal.Web.Features.Tenants;

public sealed record UserRow(string Id, string Email, bool IsOperator, string? TenantKey, bool LockedOut, bool TwoFactor);

/// <summary>Tenants and users: operators only, checked here as well as on the page.</summary>
public sealed class TenantCommands(
    IDbContextFactory<PortalDb> factory, IDbContextFactory<AsteriskDb> asterisk, ReadSource reads, IServiceScopeFactory scopes, Account.UserSessions sessions, ILogger<TenantCommands> log)
{
    private static readonly TenantFormValidator TenantValidator = new();
    private static readonly UserFormValidator UserValidator = new();

    public async Task<IReadOnlyList<UserRow>> UsersAsync(Caller caller, CancellationToken ct)
    {
        RequireOperator(caller);
        // Read where ReadSource says, so the page keeps its list while the master is down.
        await using var db = await reads.Portal.CreateDbContextAsync(ct);
        var operatorRoleId = await db.Roles.Where(r => r.Name == Caller.OperatorRole).Select(r => r.Id).SingleOrDefaultAsync(ct);
        var now = DateTimeOffset.UtcNow;
        return await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new UserRow(
                u.Id,
                u.Email ?? "",
                db.UserRoles.Any(r => r.UserId == u.Id && r.RoleId == operatorRoleId),
                u.Tenant == null ? null : u.Tenant.Key,
                u.LockoutEnd != null && u.LockoutEnd > now,
                u.TwoFactorEnabled))
            .ToListAsync(ct);
    }

    public async Task SaveTenantAsync(Caller caller, int? id, TenantForm form, CancellationToken ct)
    {
        RequireOperator(caller);
        await TenantValidator.ValidateAndThrowAsync(form, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (id is not null)
        {
            // Locked until the commit: a second page saving at once waits, then compares with what this one saved.
            await db.Database.ExecuteSqlInterpolatedAsync($"SELECT id FROM tenants WHERE id = {id} FOR UPDATE", ct);
        }
        var tenant = id is null ? new Tenant() : await db.Tenants.Include(t => t.Contexts).SingleOrDefaultAsync(t => t.Id == id, ct)
            ?? throw new WriteRefusedException("This tenant was deleted meanwhile.");
        if (id is not null)
        {
            EditConflictException.ThrowIfChanged($"Tenant {tenant.Key}", form.Original, TenantForm.Fingerprint(tenant));
        }
        if (id is null)
        {
            db.Tenants.Add(tenant);
            // Every tenant starts with the classic office-closed toggle, keyed by the tenant key.
            tenant.Toggles.Add(new OfficeToggle { Key = form.Key });
        }
        else if (tenant.Key != form.Key)
        {
            throw new WriteRefusedException("A tenant's key cannot change: the Asterisk rows (pins.company, voicemail.customer_id, the flag row) carry it.");
        }
        var taken = await db.TenantContexts.Where(c => form.ContextList.Contains(c.Context) && c.TenantId != tenant.Id).Select(c => c.Context).ToListAsync(ct);
        if (taken.Count > 0)
        {
            throw new WriteRefusedException($"Context {string.Join(", ", taken)} already belongs to another tenant.");
        }
        var added = form.ContextList.Where(c => tenant.Contexts.All(x => !string.Equals(x.Context, c, StringComparison.OrdinalIgnoreCase))).ToList();
        if (added.Count > 0)
        {
            var foreignKeys = await db.OfficeToggles.Where(o => o.TenantId != tenant.Id).Select(o => o.Key).ToListAsync(ct);
            await using var rows = await asterisk.CreateDbContextAsync(ct);
            if (await rows.Extensions.Where(e => added.Contains(e.Context) && foreignKeys.Contains(e.App)).Select(e => new { e.Context, e.App }).FirstOrDefaultAsync(ct) is { } flag)
            {
                // Isolation: the other tenant's admin flips that row, which would then be a row of this tenant's dialplan.
                throw new WriteRefusedException($"Context {flag.Context} holds the office toggle row of another tenant (app {flag.App}): move that row out of it first.");
            }
        }
        var accountcode = form.Accountcode.Length == 0 ? null : form.Accountcode;
        if (tenant.Accountcode is { } old && old != accountcode && await HasPinsAsync(form.Key, old, ct))
        {
            throw new WriteRefusedException($"The tenant's PINs are stored as {old}-<digits>, and the dialplan looks them up so: the accountcode cannot change while it has PINs.");
        }
        if (accountcode is not null && await db.Tenants.AnyAsync(t => t.Accountcode == accountcode && t.Id != tenant.Id, ct))
        {
            // The dialplan looks PINs up by pin alone: a shared accountcode would let each tenant's callers use the other's PINs.
            throw new WriteRefusedException($"Accountcode {accountcode} belongs to another tenant.");
        }
        tenant.Key = form.Key;
        tenant.Name = form.Name;
        tenant.Accountcode = accountcode;
        tenant.Contexts.RemoveAll(c => !form.ContextList.Contains(c.Context));
        tenant.Contexts.AddRange(form.ContextList.Where(c => tenant.Contexts.All(x => x.Context != c)).Select(c => new TenantContext { Context = c }));
        db.Audit.Add(Audit(caller, id is null ? "create tenant" : "edit tenant", "tenants", form.Key, $"{form.Name}, accountcode {accountcode ?? "none"}: {string.Join(", ", form.ContextList)}"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            throw new WriteRefusedException($"Tenant key {form.Key} is taken.", e);
        }
        await transaction.CommitAsync(ct);
    }

    public async Task CreateUserAsync(Caller caller, UserForm form, CancellationToken ct)
    {
        RequireOperator(caller);
        await UserValidator.ValidateAndThrowAsync(form, ct);
        await WithUsersAsync(async (users, db) =>
        {
            var user = new PortalUser { UserName = form.Email, Email = form.Email, EmailConfirmed = true, TenantId = form.IsOperator ? null : form.TenantId };
            Check(await users.CreateAsync(user, form.Password));
            Check(await users.AddToRoleAsync(user, form.IsOperator ? Caller.OperatorRole : Caller.TenantAdminRole));
            db.Audit.Add(Audit(caller, "create user", "users", form.Email, form.IsOperator ? "operator" : $"admin of tenant {form.TenantId}"));
            await db.SaveChangesAsync(ct);
        });
    }

    public async Task ResetPasswordAsync(Caller caller, string userId, string newPassword, CancellationToken ct)
    {
        RequireOperator(caller);
        await WithUsersAsync(async (users, db) =>
        {
            var user = await users.FindByIdAsync(userId) ?? throw new WriteRefusedException("No such user.");
            Check(await users.RemovePasswordAsync(user));
            Check(await users.AddPasswordAsync(user, newPassword));
            // A reset also ends the user's existing sessions.
            await users.UpdateSecurityStampAsync(user);
            db.Audit.Add(Audit(caller, "reset password", "users", user.Email ?? userId, null));
            await db.SaveChangesAsync(ct);
            await sessions.EndAllAsync(db, user.Id, ct);
        });
    }

    public async Task SetLockedAsync(Caller caller, string userId, bool locked, CancellationToken ct)
    {
        RequireOperator(caller);
        await WithUsersAsync(async (users, db) =>
        {
            var user = await users.FindByIdAsync(userId) ?? throw new WriteRefusedException("No such user.");
            Check(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
            if (!locked)
            {
                await users.ResetAccessFailedCountAsync(user);
            }
            await users.UpdateSecurityStampAsync(user);
            db.Audit.Add(Audit(caller, locked ? "lock user" : "unlock user", "users", user.Email ?? userId, null));
            await db.SaveChangesAsync(ct);
            await sessions.EndAllAsync(db, user.Id, ct);
        });
    }

    private async Task<bool> HasPinsAsync(string tenantKey, string accountcode, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        return await db.Pins.AnyAsync(p => p.Company == tenantKey && p.Code.StartsWith(accountcode + "-"), ct);
    }

    private async Task WithUsersAsync(Func<UserManager<PortalUser>, PortalDb, Task> work)
    {
        // A fresh scope per command: a Blazor circuit must not hold Identity's DbContext for its whole life.
        await using var scope = scopes.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(), scope.ServiceProvider.GetRequiredService<PortalDb>());
    }

    private void RequireOperator(Caller caller)
    {
        if (!caller.IsOperator)
        {
            log.LogWarning("Refused: {User} tried to manage tenants or users", caller.UserName);
            throw new AccessDeniedException("Only operators manage tenants and users.");
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new WriteRefusedException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private static AuditEntry Audit(Caller caller, string action, string table, string key, string? detail) => new()
    {
        At = DateTime.UtcNow,
        UserName = caller.UserName,
        TenantKey = caller.TenantKey,
        Action = action,
        TableName = table,
        RowKey = key,
        NewValues = detail,
    };
}
