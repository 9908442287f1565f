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
}
