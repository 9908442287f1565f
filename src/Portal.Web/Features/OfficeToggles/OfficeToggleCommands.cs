using System.Collections.Concurrent;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.OfficeToggles;

/// <summary>A toggle and the tenant it belongs to.</summary>
public sealed record ToggleInfo(int Id, string TenantKey, string Name, string Key);

/// <summary>
/// Every write of the office-closed toggles. Flipping is the UPDATE a phone's RealTimeUpdate does (appdata of the rows
/// whose app is the key), through the write path, so it is audited and its GTID shows when every replica has it.
/// A tenant admin flips only their own tenant's toggles; creating, removing and repairing are for operators.
/// </summary>
public sealed class OfficeToggleCommands(
    IDbContextFactory<PortalDb> portal,
    TenantDirectory tenants,
    MasterWriter writer,
    RealtimeSchema schema,
    IOptions<DatabaseOptions> database)
{
    /// <summary>The exten of a tenant's default flag row, as the classic examples place it: nobody dials it.</summary>
    public const string DefaultFlagExten = "office-closed";

    private const string NoSuchToggle = "There is no such toggle (it may have been removed).";

    private readonly OfficeToggleFormValidator validator = new(schema);

    /// <summary>
    /// Isolation: a tenant's flip reaches only rows in the tenant's own contexts (@tenant), so a row with its key that
    /// sits in another tenant's dialplan (put there by hand or before the dialplan checks refused it) is never changed.
    /// </summary>
    private string InTenantContexts =>
        $"context IN (SELECT c.context FROM `{database.Value.PortalDatabase}`.tenant_contexts c JOIN `{database.Value.PortalDatabase}`.tenants t ON t.id = c.tenant_id WHERE t.tenant_key = @tenant)";

    // A toggle's tenant and key never change (a tenant key is fixed, a toggle has no edit), so flips keep them instead
    // of reading them each time; each flip's own UPDATE of the toggle row checks them in its transaction.
    private readonly ConcurrentDictionary<int, ToggleInfo> known = new();

    /// <summary>Sets the flag row to on (closed) or off (open). Refused while the row is missing or duplicated.</summary>
    public async Task<WriteResult> FlipAsync(Caller caller, int toggleId, bool closed, CancellationToken ct)
    {
        if (known.TryGetValue(toggleId, out var cached))
        {
            try
            {
                return await FlipAsync(caller, cached, closed, ct);
            }
            catch (StaleToggleException)
            {
                // Removed since it was kept: asked again, so the caller gets what a fresh look says.
                known.TryRemove(toggleId, out _);
            }
        }
        var toggle = await FindAsync(toggleId, ct);
        known[toggleId] = toggle;
        try
        {
            return await FlipAsync(caller, toggle, closed, ct);
        }
        catch (StaleToggleException)
        {
            known.TryRemove(toggleId, out _);
            throw new WriteRefusedException(NoSuchToggle);
        }
    }

    private async Task<WriteResult> FlipAsync(Caller caller, ToggleInfo toggle, bool closed, CancellationToken ct)
    {
        if (!caller.CanAccessTenant(toggle.TenantKey))
        {
            throw await writer.DenyAsync(caller, OfficeToggleWatch.FlipAction, "extensions", OfficeToggleWatch.AuditKey(toggle.Key), ct);
        }
        var value = closed ? "on" : "off";
        return await writer.WriteAsync(caller, OfficeToggleWatch.FlipAction, beginInFirstBatch: true, async (scope, token) =>
        {
            // One round trip with the transaction's begin: the flag rows as they were (locked), the flip, and the known
            // state the watcher compares with. The checks come after the statements but inside the transaction: a missing or duplicated flag row,
            // or a toggle that is no longer the one the tenant check above saw (same row, key and tenant), throws, and
            // the write path rolls everything back.
            var rows = new List<string>();
            long known;
            await using (var flip = scope.FirstBatch(
                $"SELECT appdata FROM extensions WHERE app = @key AND {InTenantContexts} FOR UPDATE; " +
                $"UPDATE extensions SET appdata = @value WHERE app = @key AND {InTenantContexts}; " +
                $"UPDATE `{database.Value.PortalDatabase}`.office_toggles o JOIN `{database.Value.PortalDatabase}`.tenants t ON t.id = o.tenant_id " +
                "SET o.known_state = @value, o.known_version = o.known_version + 1 WHERE o.id = @id AND o.toggle_key = @key AND t.tenant_key = @tenant; " +
                "SELECT ROW_COUNT()"))
            {
                flip.Parameters.AddWithValue("@value", value);
                flip.Parameters.AddWithValue("@key", toggle.Key);
                flip.Parameters.AddWithValue("@id", toggle.Id);
                flip.Parameters.AddWithValue("@tenant", toggle.TenantKey);
                await using var reader = await flip.ExecuteReaderAsync(token);
                while (await reader.ReadAsync(token))
                {
                    rows.Add(reader.GetString(0));
                }
                await reader.NextResultAsync(token);
                await reader.ReadAsync(token);
                known = reader.GetInt64(0);
            }
            if (rows.Count != 1)
            {
                throw new WriteRefusedException(rows.Count == 0
                    ? $"The flag row of {toggle.Name} (app {toggle.Key}) is missing, so nothing was changed: an operator can create it."
                    : $"{toggle.Name} has {rows.Count} flag rows (app {toggle.Key}), so Asterisk may read either: an operator can repair it.");
            }
            if (known != 1)
            {
                throw new StaleToggleException();
            }
            scope.Audit(new AuditChange("extensions", OfficeToggleWatch.AuditKey(toggle.Key), OfficeToggleWatch.Appdata(rows[0]), OfficeToggleWatch.Appdata(value)));
        }, ct);
    }

    public async Task<WriteResult> AddAsync(Caller caller, string? tenantKey, OfficeToggleForm form, CancellationToken ct)
    {
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, "add office toggle", "office_toggles", form.Key, ct);
        }
        if (string.IsNullOrWhiteSpace(tenantKey))
        {
            throw new WriteRefusedException("Choose the tenant the toggle is for.");
        }
        await validator.ValidateAndThrowAsync(form, ct);
        await using var db = await portal.CreateDbContextAsync(ct);
        var tenant = await db.Tenants.AsNoTracking().SingleOrDefaultAsync(t => t.Key == tenantKey, ct)
            ?? throw new WriteRefusedException($"There is no tenant {tenantKey}.");
        if (await db.Tenants.AnyAsync(t => t.Key == form.Key && t.Id != tenant.Id, ct))
        {
            throw new WriteRefusedException($"{form.Key} is another tenant's key, and so the app of that tenant's flag row.");
        }
        var contexts = await tenants.ContextsOfAsync(tenantKey, ct);
        return await writer.WriteAsync(caller, "add office toggle", async (scope, token) =>
        {
            var rows = await FlagRowsForUpdateAsync(scope, form.Key, null, token);
            // Isolation: the tenant's admin will flip every row with this app; all of them must be the tenant's own.
            if (rows.FirstOrDefault(r => !contexts.Contains(r.Context)) is { } foreign)
            {
                throw new WriteRefusedException($"A row with app {form.Key} is in context {foreign.Context}, which is not {tenantKey}'s.");
            }
            await using var insert = new MySqlCommand(
                $"INSERT INTO `{database.Value.PortalDatabase}`.office_toggles (tenant_id, name, toggle_key, known_state, known_version) VALUES (@tenant, @name, @key, @state, 1)",
                scope.Connection);
            insert.Parameters.AddWithValue("@tenant", tenant.Id);
            insert.Parameters.AddWithValue("@name", form.Name);
            insert.Parameters.AddWithValue("@key", form.Key);
            // The rows as they are now are the baseline, so the watcher does not take them for a flip.
            insert.Parameters.AddWithValue("@state", OfficeToggleWatch.Observed(rows.Select(r => r.Appdata).ToList()));
            await insert.ExecuteNonQueryAsync(token);
            scope.Audit(new AuditChange("office_toggles", form.Key, null, new Dictionary<string, object?> { ["tenant"] = tenantKey, ["name"] = form.Name, ["toggle_key"] = form.Key }));
        }, ct);
    }

    /// <summary>Removes the toggle from the portal; its flag row stays, since the dialplan still reads it.</summary>
    public async Task<WriteResult> RemoveAsync(Caller caller, int toggleId, CancellationToken ct)
    {
        var toggle = await FindAsync(toggleId, ct);
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, "remove office toggle", "office_toggles", toggle.Key, ct);
        }
        known.TryRemove(toggleId, out _);
        return await writer.WriteAsync(caller, "remove office toggle", async (scope, token) =>
        {
            await using var delete = new MySqlCommand($"DELETE FROM `{database.Value.PortalDatabase}`.office_toggles WHERE id = @id", scope.Connection);
            delete.Parameters.AddWithValue("@id", toggle.Id);
            await delete.ExecuteNonQueryAsync(token);
            scope.Audit(new AuditChange("office_toggles", toggle.Key, new Dictionary<string, object?> { ["tenant"] = toggle.TenantKey, ["name"] = toggle.Name }, null));
        }, ct);
    }

    /// <summary>
    /// Creates the missing flag row, off (open), in the tenant's context named like the tenant (else its first), on
    /// exten <see cref="DefaultFlagExten"/> for the default toggle and on the key itself for the others.
    /// </summary>
    public async Task<WriteResult> CreateFlagRowAsync(Caller caller, int toggleId, CancellationToken ct)
    {
        var toggle = await FindAsync(toggleId, ct);
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, OfficeToggleWatch.CreateAction, "extensions", OfficeToggleWatch.AuditKey(toggle.Key), ct);
        }
        var contexts = await tenants.ContextsOfAsync(toggle.TenantKey, ct);
        var context = contexts.Contains(toggle.TenantKey) ? toggle.TenantKey : contexts.Order(StringComparer.Ordinal).FirstOrDefault()
            ?? throw new WriteRefusedException($"Tenant {toggle.TenantKey} has no context to hold the flag row: add one on the Tenants page.");
        var exten = toggle.Key == toggle.TenantKey ? DefaultFlagExten : toggle.Key;
        return await writer.WriteAsync(caller, OfficeToggleWatch.CreateAction, async (scope, token) =>
        {
            if ((await FlagRowsForUpdateAsync(scope, toggle.Key, null, token)).Count > 0)
            {
                throw new WriteRefusedException($"{toggle.Name} has a flag row already.");
            }
            await using (var insert = new MySqlCommand(
                "INSERT INTO extensions (context, exten, priority, app, appdata) VALUES (@context, @exten, 1, @key, 'off')", scope.Connection))
            {
                insert.Parameters.AddWithValue("@context", context);
                insert.Parameters.AddWithValue("@exten", exten);
                insert.Parameters.AddWithValue("@key", toggle.Key);
                await insert.ExecuteNonQueryAsync(token);
            }
            await SetKnownAsync(scope, toggle.Id, "off", token);
            scope.Audit(new AuditChange("extensions", OfficeToggleWatch.AuditKey(toggle.Key), null,
                new Dictionary<string, object?> { ["context"] = context, ["exten"] = exten, ["priority"] = 1, ["app"] = toggle.Key, ["appdata"] = "off" }));
        }, ct);
    }

    /// <summary>
    /// Keeps one of duplicated flag rows and deletes the others. The one kept is the first in the table's key order
    /// (context, exten, priority): the row Asterisk's realtime lookup met first, so callers keep the state they had.
    /// </summary>
    public async Task<WriteResult> RepairFlagRowsAsync(Caller caller, int toggleId, CancellationToken ct)
    {
        var toggle = await FindAsync(toggleId, ct);
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, OfficeToggleWatch.RepairAction, "extensions", OfficeToggleWatch.AuditKey(toggle.Key), ct);
        }
        return await writer.WriteAsync(caller, OfficeToggleWatch.RepairAction, async (scope, token) =>
        {
            var rows = await FlagRowsForUpdateAsync(scope, toggle.Key, toggle.TenantKey, token);
            if (rows.Count < 2)
            {
                throw new WriteRefusedException($"{toggle.Name} has {rows.Count} flag row(s): nothing to repair.");
            }
            await using (var delete = new MySqlCommand($"DELETE FROM extensions WHERE id IN ({string.Join(",", rows.Skip(1).Select(r => r.Id))})", scope.Connection))
            {
                await delete.ExecuteNonQueryAsync(token);
            }
            await SetKnownAsync(scope, toggle.Id, rows[0].Appdata, token);
            scope.Audit(new AuditChange("extensions", OfficeToggleWatch.AuditKey(toggle.Key),
                new Dictionary<string, object?> { ["rows"] = string.Join("; ", rows.Select(r => $"{r.Context}/{r.Exten}/{r.Priority}={r.Appdata}")), ["appdata"] = OfficeToggleWatch.Observed(rows.Select(r => r.Appdata).ToList()) },
                new Dictionary<string, object?> { ["rows"] = $"{rows[0].Context}/{rows[0].Exten}/{rows[0].Priority}={rows[0].Appdata}", ["appdata"] = rows[0].Appdata }));
        }, ct);
    }

    private sealed record FlagRow(int Id, string Context, string Exten, int Priority, string Appdata);

    /// <summary>
    /// The key's flag rows, locked until the write commits, in the order Asterisk's lookup meets them: everywhere, or
    /// only in the contexts of <paramref name="tenantKey"/> (a repair must not delete a row of another tenant's dialplan).
    /// </summary>
    private async Task<List<FlagRow>> FlagRowsForUpdateAsync(WriteScope scope, string key, string? tenantKey, CancellationToken ct)
    {
        await using var command = new MySqlCommand(
            $"SELECT id, context, exten, priority, appdata FROM extensions WHERE app = @key{(tenantKey is null ? "" : " AND " + InTenantContexts)} ORDER BY context, exten, priority FOR UPDATE",
            scope.Connection);
        command.Parameters.AddWithValue("@key", key);
        command.Parameters.AddWithValue("@tenant", tenantKey);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<FlagRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new FlagRow(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4)));
        }
        return rows;
    }

    /// <summary>Records what the portal wrote, in the same transaction, so the watcher does not take it for an outside flip.</summary>
    private async Task SetKnownAsync(WriteScope scope, int toggleId, string state, CancellationToken ct)
    {
        await using var command = new MySqlCommand(
            $"UPDATE `{database.Value.PortalDatabase}`.office_toggles SET known_state = @state, known_version = known_version + 1 WHERE id = @id", scope.Connection);
        command.Parameters.AddWithValue("@state", state);
        command.Parameters.AddWithValue("@id", toggleId);
        await command.ExecuteNonQueryAsync(ct);
    }

    private async Task<ToggleInfo> FindAsync(int toggleId, CancellationToken ct)
    {
        await using var db = await portal.CreateDbContextAsync(ct);
        var toggle = await (from o in db.OfficeToggles.AsNoTracking()
                            join t in db.Tenants on o.TenantId equals t.Id
                            where o.Id == toggleId
                            select new { o.Id, t.Key, o.Name, ToggleKey = o.Key }).SingleOrDefaultAsync(ct)
            ?? throw new WriteRefusedException(NoSuchToggle);
        return new ToggleInfo(toggle.Id, toggle.Key, toggle.Name, toggle.ToggleKey);
    }
}

/// <summary>The toggle a flip was asked for is no longer the one the portal kept (removed since); nothing was written.</summary>
internal sealed class StaleToggleException() : Exception("The toggle changed while it was being flipped.");
