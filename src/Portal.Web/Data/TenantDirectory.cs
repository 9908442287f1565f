using Microsoft.EntityFrameworkCore;

namespace Portal.Web.Data;

/// <summary>Which Asterisk contexts belong to which tenant: the basis of every tenant check on contexts.</summary>
public sealed class TenantDirectory(IDbContextFactory<PortalDb> factory)
{
    public async Task<IReadOnlyList<string>> ContextsOfAsync(string tenantKey, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Tenants.Where(t => t.Key == tenantKey).SelectMany(t => t.Contexts).Select(c => c.Context).ToListAsync(ct);
    }

    /// <summary>The contexts a caller may see: all (null) for operators, the tenant's own for a tenant admin.</summary>
    public async Task<IReadOnlyList<string>?> VisibleContextsAsync(Caller caller, CancellationToken ct) =>
        caller.IsOperator ? null : caller.TenantKey is { } key ? await ContextsOfAsync(key, ct) : [];

    public async Task<IReadOnlyList<Tenant>> AllAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Tenants.AsNoTracking().Include(t => t.Contexts).OrderBy(t => t.Key).ToListAsync(ct);
    }

    /// <summary>A few tenant keys that contain the text, in order: what a search-as-you-type field offers.</summary>
    public async Task<IReadOnlyList<string>> KeysContainingAsync(string? text, int take, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var keys = db.Tenants.AsNoTracking().Select(t => t.Key);
        if (text?.Trim() is { Length: > 0 } part)
        {
            keys = keys.Where(k => k.Contains(part));
        }
        return await keys.OrderBy(k => k).Take(take).ToListAsync(ct);
    }

    /// <summary>The tenant keys, without the tenants' contexts.</summary>
    public async Task<IReadOnlySet<string>> KeysAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.Tenants.AsNoTracking().Select(t => t.Key).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The tenant of every office toggle key (the app of its flag rows): a row with that app belongs in that tenant's
    /// contexts only, since the tenant's admin flips it. Keys compare without case, as the database compares app.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ToggleOwnersAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var toggles = await (from o in db.OfficeToggles.AsNoTracking()
                             join t in db.Tenants on o.TenantId equals t.Id
                             select new { o.Key, Tenant = t.Key }).ToListAsync(ct);
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var toggle in toggles)
        {
            owners[toggle.Key] = toggle.Tenant;
        }
        return owners;
    }

    /// <summary>Which of these names are tenant keys: a page asks about the names it shows, not about every tenant.</summary>
    public async Task<IReadOnlySet<string>> KeysAmongAsync(IReadOnlyCollection<string> names, CancellationToken ct)
    {
        if (names.Count == 0)
        {
            return new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        return (await db.Tenants.AsNoTracking().Where(t => names.Contains(t.Key)).Select(t => t.Key).ToListAsync(ct)).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The owning tenant's key of each of these contexts that a tenant owns.</summary>
    public async Task<IReadOnlyDictionary<string, string>> OwnersOfAsync(IReadOnlyCollection<string> contexts, CancellationToken ct)
    {
        if (contexts.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var owned = await db.Tenants.AsNoTracking()
            .SelectMany(t => t.Contexts, (t, c) => new { c.Context, t.Key })
            .Where(o => contexts.Contains(o.Context))
            .ToListAsync(ct);
        return owned.ToDictionary(o => o.Context, o => o.Key, StringComparer.OrdinalIgnoreCase);
    }
}
