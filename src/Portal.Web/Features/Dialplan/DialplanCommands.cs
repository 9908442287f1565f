using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;
using Portal.Web.Data;
using Portal.Web.Features.Nodes;
using Severity = Portal.Asterisk.Severity;

namespace Portal.Web.Features.Dialplan;

/// <summary>The rules' verdict on rows about to be written: errors refuse the write, warnings do not.</summary>
public sealed record DialplanCheck(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public IEnumerable<(Severity Severity, string Message)> Findings =>
        Errors.Select(e => (Severity.Error, e)).Concat(Warnings.Select(w => (Severity.Warning, w)));

    public void ThrowIfErrors()
    {
        if (Errors.Count > 0)
        {
            throw new ValidationException(Errors.Select(e => new FluentValidation.Results.ValidationFailure("", e)));
        }
    }
}

/// <param name="FlagRowAt">Where the tenant's office-closed flag row is already: the template leaves it out.</param>
public sealed record ContextPlan(IReadOnlyList<ExtensionRow> Rows, string? FlagRowAt, DialplanCheck Check);

/// <summary>
/// Every write to the dialplan: operators only, checked here whoever calls. Every row written passes
/// <see cref="StepFormValidator"/> (the pipe rule among its rules: appdata never holds a comma), every extension
/// touched passes <see cref="StepCheck.CheckExtensions"/>, and a tenant's office-closed flag row stays unique;
/// then one transaction on the master through <see cref="MasterWriter"/>.
/// </summary>
public sealed class DialplanCommands(
    MasterWriter writer,
    StepFormValidator steps,
    NewContextFormValidator newContexts,
    ContextNameFormValidator names,
    TenantDirectory tenants,
    IDbContextFactory<AsteriskDb> factory,
    IOptions<DatabaseOptions> options,
    ClusterAsterisk cluster)
{
    public async Task<WriteResult> AddStepAsync(Caller caller, StepForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "add step", Where(form.ToRow()), ct);
        await steps.ValidateAndThrowAsync(form, ct);
        return await writer.WriteAsync(caller, "add step", (scope, token) =>
            EditStepsAsync(scope, form.Context, [form.Exten], list => list.Add(Extension.From(form.ToRow())), token), ct);
    }

    /// <summary>Changes a step's exten, priority, app or appdata; a step stays in its context.</summary>
    public async Task<WriteResult> UpdateStepAsync(Caller caller, int id, StepForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "edit step", Where(form.ToRow()), ct);
        await steps.ValidateAndThrowAsync(form, ct);
        return await writer.WriteAsync(caller, "edit step", async (scope, token) =>
        {
            // Locked until the commit: a second dialog saving the same step at once waits, then sees this save.
            await scope.LockRowAsync("extensions", "id", id, token);
            var old = await StepAsync(scope.Db, id, token);
            EditConflictException.ThrowIfChanged($"Step {old.Exten}, priority {old.Priority}", form.Original, StepForm.Fingerprint(old.ToRow()));
            if (!Same(old.Context, form.Context))
            {
                throw new WriteRefusedException("A step stays in its context: copy the extension to the other context instead.");
            }
            await EditStepsAsync(scope, old.Context, [old.Exten, form.Exten], list =>
            {
                var step = list.Single(s => s.Id == id);
                (step.Exten, step.Priority, step.App, step.Appdata) = (form.Exten, form.Priority, form.App, form.Appdata);
            }, token);
        }, ct);
    }

    public async Task<WriteResult> DeleteStepAsync(Caller caller, int id, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "delete step", id.ToString(), ct);
        return await writer.WriteAsync(caller, "delete step", async (scope, token) =>
        {
            var old = await StepAsync(scope.Db, id, token);
            await EditStepsAsync(scope, old.Context, [old.Exten], list => list.RemoveAll(s => s.Id == id), token);
        }, ct);
    }

    /// <summary>Swaps a step with the one before (-1) or after (+1) it in its extension.</summary>
    public async Task<WriteResult> MoveStepAsync(Caller caller, int id, int direction, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "move step", id.ToString(), ct);
        return await writer.WriteAsync(caller, "move step", async (scope, token) =>
        {
            var old = await StepAsync(scope.Db, id, token);
            await EditStepsAsync(scope, old.Context, [old.Exten], list =>
            {
                var ordered = list.OrderBy(s => s.Priority).ToList();
                var from = ordered.FindIndex(s => s.Id == id);
                var to = from + Math.Sign(direction);
                if (to < 0 || to >= ordered.Count)
                {
                    throw new WriteRefusedException($"Priority {old.Priority} is the {(to < 0 ? "first" : "last")} step of {old.Exten} already.");
                }
                (ordered[from].Priority, ordered[to].Priority) = (ordered[to].Priority, ordered[from].Priority);
            }, token);
        }, ct);
    }

    /// <summary>Numbers an extension's steps 1, 2, 3... in their order, closing gaps.</summary>
    public async Task<WriteResult> RenumberAsync(Caller caller, string context, string exten, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "renumber extension", $"{context} {exten}", ct);
        return await writer.WriteAsync(caller, "renumber extension", (scope, token) =>
            EditStepsAsync(scope, context, [exten], list =>
            {
                var priority = 1;
                foreach (var step in list.OrderBy(s => s.Priority))
                {
                    step.Priority = priority++;
                }
            }, token), ct);
    }

    /// <summary>Copies an extension's steps to a new exten, in the same context or another existing one.</summary>
    public async Task<WriteResult> CopyExtensionAsync(Caller caller, string context, string exten, ContextNameForm target, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "copy extension", $"{context} {exten}", ct);
        await names.ValidateAndThrowAsync(target, ct);
        return await writer.WriteAsync(caller, "copy extension", async (scope, token) =>
        {
            var source = await scope.Db.Extensions.AsNoTracking().Where(e => e.Context == context && e.Exten == exten).ToListAsync(token);
            if (source.Count == 0)
            {
                throw new WriteRefusedException($"{context} has no extension {exten} (any more).");
            }
            if (!await scope.Db.Extensions.AnyAsync(e => e.Context == target.Context, token))
            {
                throw new WriteRefusedException($"Context {target.Context} has no rows: create it first, so that its nodes are told about it.");
            }
            await EditStepsAsync(scope, target.Context, [target.Exten], list =>
            {
                if (list.Count > 0)
                {
                    throw new WriteRefusedException($"{target.Context} has an extension {target.Exten} already.");
                }
                list.AddRange(source.Select(s => new Extension { Context = target.Context, Exten = target.Exten, Priority = s.Priority, App = s.App, Appdata = s.Appdata }));
            }, token);
        }, ct);
    }

    /// <summary>The rows a new context would start with and the rules' verdict on them, for the preview.</summary>
    public async Task<ContextPlan> PlanContextAsync(Caller caller, NewContextForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "plan context", form.Context, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await PlanContextAsync(db, form, ct);
    }

    public async Task<WriteResult> CreateContextAsync(Caller caller, NewContextForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "create context", form.Context, ct);
        await newContexts.ValidateAndThrowAsync(form, ct);
        return await writer.WriteAsync(caller, "create context", async (scope, token) =>
        {
            var plan = await PlanContextAsync(scope.Db, form, token);
            plan.Check.ThrowIfErrors();
            scope.Db.Extensions.AddRange(plan.Rows.Select(Extension.From));
            if (form.TenantKey is { Length: > 0 } key)
            {
                await AddToTenantAsync(scope, key, form.Context, token);
            }
        }, ct);
    }

    /// <summary>
    /// Renames a context in one transaction: its rows, the SIP peers whose context it is, and the tenant's list. The
    /// tenant keeps the old name too while voicemail boxes live in a voicemail context of that name.
    /// </summary>
    public async Task<WriteResult> RenameContextAsync(Caller caller, string context, ContextNameForm target, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "rename context", context, ct);
        await names.ValidateAndThrowAsync(target, ct);
        if (Same(context, target.Context))
        {
            throw new WriteRefusedException("The new name is the old one: the database compares context names without case.");
        }
        return await writer.WriteAsync(caller, "rename context", async (scope, token) =>
        {
            if (await scope.Db.Extensions.AnyAsync(e => e.Context == target.Context, token))
            {
                throw new WriteRefusedException($"Context {target.Context} exists already.");
            }
            var rows = await ExecuteAsync(scope, "UPDATE extensions SET context = @to WHERE context = @from", token, ("@from", context), ("@to", target.Context));
            if (rows == 0)
            {
                throw new WriteRefusedException($"Context {context} has no rows (any more).");
            }
            scope.Audit(new AuditChange("extensions", "context " + context, Values(("context", context), ("rows", rows)), Values(("context", target.Context))));
            var peers = await ExecuteAsync(scope, "UPDATE sip SET context = @to WHERE context = @from", token, ("@from", context), ("@to", target.Context));
            if (peers > 0)
            {
                scope.Audit(new AuditChange("sip", "context " + context, Values(("context", context), ("peers", peers)), Values(("context", target.Context))));
            }
            if (await OwnerAsync(context, token) is { } owner)
            {
                await AddToTenantAsync(scope, owner, target.Context, token);
                await RemoveFromTenantAsync(scope, context, token);
            }
        }, ct);
    }

    /// <summary>Deletes every row of a context; the tenant's list drops it unless mailboxes use the name.</summary>
    public async Task<WriteResult> DeleteContextAsync(Caller caller, string context, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "delete context", context, ct);
        return await writer.WriteAsync(caller, "delete context", async (scope, token) =>
        {
            if (await DeleteRowsAsync(scope, context, token) == 0)
            {
                throw new WriteRefusedException($"Context {context} has no rows (any more).");
            }
            await RemoveFromTenantAsync(scope, context, token);
        }, ct);
    }

    /// <summary>Reads the file and checks its rows, writing nothing: the preview.</summary>
    public async Task<ImportPlan> PlanImportAsync(Caller caller, ImportForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "plan import", "extensions.conf", ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await PlanImportAsync(db, form, ct);
    }

    /// <summary>Imports an extensions.conf all or nothing: the plan is made again inside the transaction.</summary>
    public async Task<(WriteResult Result, ImportPlan Plan)> ImportAsync(Caller caller, ImportForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "import extensions.conf", "extensions.conf", ct);
        ImportPlan? plan = null;
        var result = await writer.WriteAsync(caller, "import extensions.conf", async (scope, token) =>
        {
            plan = await PlanImportAsync(scope.Db, form, token);
            plan.Check.ThrowIfErrors();
            if (!plan.CanImport)
            {
                throw new WriteRefusedException("The file has errors (see the preview) or no rows; nothing was imported.");
            }
            foreach (var context in plan.Contexts.Where(c => c.ExistingRows > 0))
            {
                await DeleteRowsAsync(scope, context.Context, token);
            }
            scope.Db.Extensions.AddRange(plan.Rows.Select(Extension.From));
            if (form.TenantKey is { Length: > 0 } key)
            {
                foreach (var context in plan.NewContexts)
                {
                    await AddToTenantAsync(scope, key, context, token);
                }
            }
        }, ct);
        return (result, plan!);
    }

    /// <summary>
    /// The one way steps change: loads the extensions' rows, lets <paramref name="edit"/> add, remove and change
    /// them, checks the result, and parks every row whose priority changes at its negative priority first, so that
    /// swaps and renumbering never collide with the table's key (context, exten, priority) on the way.
    /// </summary>
    private async Task EditStepsAsync(WriteScope scope, string context, IReadOnlyCollection<string> extens, Action<List<Extension>> edit, CancellationToken ct)
    {
        var keys = extens.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var before = await scope.Db.Extensions.Where(e => e.Context == context && keys.Contains(e.Exten)).ToListAsync(ct);
        var priorities = before.ToDictionary(s => s.Id, s => s.Priority);
        var after = before.ToList();
        edit(after);
        var removed = before.Except(after).ToList();
        scope.Db.Extensions.RemoveRange(removed);
        scope.Db.Extensions.AddRange(after.Except(before));
        scope.Db.ChangeTracker.DetectChanges();
        var written = after.Where(s => scope.Db.Entry(s).State is EntityState.Added or EntityState.Modified).Select(s => s.ToRow()).ToList();
        var check = await CheckRowsAsync(scope.Db, written, after.Select(s => s.ToRow()).ToList(), before.Select(s => s.Id).ToList(), [], rowWarnings: true, newOwners: null, ct);
        check.ThrowIfErrors();
        var parked = before.Where(s => removed.Contains(s) || s.Priority != priorities[s.Id]).Select(s => s.Id).ToList();
        if (parked.Count > 0)
        {
            // EF updates and deletes by id, so a parked row still gets its final priority from the change tracker.
            await ExecuteAsync(scope, $"UPDATE extensions SET priority = -priority WHERE id IN ({string.Join(',', parked)})", ct);
        }
    }

    /// <summary>
    /// The rules on rows about to be written, shared by every write and its preview: each written row by the
    /// step validator, the extensions they end up in as a whole, Goto targets (warnings), and the office-closed
    /// flag rows, which must stay one per tenant because RealTimeUpdate() updates every row whose app matches.
    /// </summary>
    /// <param name="extensionsAfter">All rows of the extensions touched, as they will be.</param>
    /// <param name="leavingIds">Rows of the table the write replaces (they are in extensionsAfter if they stay).</param>
    /// <param name="leavingContexts">Contexts whose rows the write replaces.</param>
    /// <param name="rowWarnings">False for an import, whose parser has noted each line's warnings already.</param>
    /// <param name="newOwners">Contexts the write gives to a tenant, which the tenant check counts as theirs.</param>
    private async Task<DialplanCheck> CheckRowsAsync(
        AsteriskDb db,
        IReadOnlyCollection<ExtensionRow> written,
        IReadOnlyCollection<ExtensionRow> extensionsAfter,
        IReadOnlyCollection<int> leavingIds,
        IReadOnlyCollection<string> leavingContexts,
        bool rowWarnings,
        IReadOnlyDictionary<string, string>? newOwners,
        CancellationToken ct)
    {
        var flagKeys = await tenants.KeysAsync(ct);
        var family = await cluster.OldestAsync(ct);
        var errors = new List<string>();
        var warnings = new List<string>();
        foreach (var row in written)
        {
            foreach (var finding in steps.Findings(row, flagKeys, family).Where(f => f.Severity == Severity.Error || (rowWarnings && f.Severity == Severity.Warning)))
            {
                (finding.Severity == Severity.Error ? errors : warnings).Add($"{Where(row)}: {finding.Message}");
            }
        }
        foreach (var finding in StepCheck.CheckExtensions(extensionsAfter))
        {
            (finding.Severity == Severity.Error ? errors : warnings).Add($"{finding.Context}: {finding.Message}");
        }
        foreach (var key in written.Select(r => StepCheck.FlagKey(r.App, flagKeys)).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var elsewhere = await db.Extensions.AsNoTracking()
                .Where(e => e.App == key && !leavingIds.Contains(e.Id) && !leavingContexts.Contains(e.Context))
                .Select(e => new ExtensionRow(e.Context, e.Exten, e.Priority, e.App, e.Appdata))
                .ToListAsync(ct);
            var all = extensionsAfter.Where(r => Same(r.App, key)).Concat(elsewhere).ToList();
            if (all.Count > 1)
            {
                errors.Add($"Tenant {key} would have {all.Count} office-closed flag rows ({string.Join(", ", all.Select(Where))}): " +
                    $"RealTimeUpdate() changes every row with app = {key} and RealTime() reads any one of them; keep one.");
            }
        }
        errors.AddRange(await ForeignFlagRowsAsync(written, newOwners, ct));
        var jumps = await GotoCheck.ProblemsAsync(db, written, extensionsAfter, leavingContexts, ct);
        warnings.AddRange(jumps.SelectMany(j => j.Value.Select(p => $"{Where(j.Key)}: {p}")));
        return new DialplanCheck(errors, warnings);
    }

    /// <summary>
    /// Isolation: a row whose app is a tenant's toggle key is that tenant's flag row, and the tenant's admin flips it;
    /// in another tenant's context (or a context of no tenant) it would be a row of someone else's dialplan that the
    /// admin changes, or that phones' RealTimeUpdate changes beside the tenant's own.
    /// </summary>
    /// <param name="newOwners">Contexts this write gives to a tenant (a new context, an import for a tenant).</param>
    private async Task<List<string>> ForeignFlagRowsAsync(IReadOnlyCollection<ExtensionRow> written, IReadOnlyDictionary<string, string>? newOwners, CancellationToken ct)
    {
        var toggles = await tenants.ToggleOwnersAsync(ct);
        var flagRows = written.Where(r => toggles.ContainsKey(r.App)).ToList();
        if (flagRows.Count == 0)
        {
            return [];
        }
        var owners = await tenants.OwnersOfAsync(flagRows.Select(r => r.Context).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), ct);
        var errors = new List<string>();
        foreach (var row in flagRows)
        {
            var tenant = toggles[row.App];
            var owner = owners.GetValueOrDefault(row.Context) ?? newOwners?.GetValueOrDefault(row.Context);
            if (owner is null || !Same(owner, tenant))
            {
                errors.Add($"{Where(row)}: app {row.App} is an office toggle of tenant {tenant}, whose admin flips every row with that app; " +
                    $"context {row.Context} is {(owner is null ? "no tenant's" : $"tenant {owner}'s")}, so the row may only go in a context of {tenant}.");
            }
        }
        return errors;
    }

    private async Task<ContextPlan> PlanContextAsync(AsteriskDb db, NewContextForm form, CancellationToken ct)
    {
        var errors = new List<string>();
        if (await db.Extensions.AnyAsync(e => e.Context == form.Context, ct))
        {
            errors.Add($"Context {form.Context} exists already: add extensions to it, or choose another name.");
        }
        if (form.TenantKey is { Length: > 0 } key && await OwnerAsync(form.Context, ct) is { } owner && !Same(owner, key))
        {
            errors.Add($"Context {form.Context} belongs to tenant {owner} (its voicemail context, perhaps).");
        }
        var flagRowAt = form.Template == ContextTemplate.AutoAttendant && form.TenantKey is { Length: > 0 } tenant
            ? await db.Extensions.AsNoTracking().Where(e => e.App == tenant).Select(e => e.Context + " " + e.Exten + "," + e.Priority).FirstOrDefaultAsync(ct)
            : null;
        var rows = form.Rows(await cluster.OldestAsync(ct), withFlagRow: flagRowAt is null);
        var owners = form.TenantKey is { Length: > 0 } owning ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [form.Context] = owning } : null;
        var check = await CheckRowsAsync(db, rows, rows, [], [], rowWarnings: true, owners, ct);
        return new ContextPlan(rows, flagRowAt, check with { Errors = [.. errors, .. check.Errors] });
    }

    private async Task<ImportPlan> PlanImportAsync(AsteriskDb db, ImportForm form, CancellationToken ct)
    {
        var parsed = ExtensionsConf.Import(form.Text);
        var contextNames = parsed.Rows.Select(r => r.Context).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var existing = await db.Extensions.AsNoTracking()
            .Where(e => contextNames.Contains(e.Context))
            .GroupBy(e => e.Context)
            .Select(g => new { g.Key, Rows = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Rows, StringComparer.OrdinalIgnoreCase, ct);
        var contexts = contextNames
            .Select(c => new ImportContext(c, parsed.Rows.Count(r => Same(r.Context, c)), existing.GetValueOrDefault(c)))
            .ToList();
        var errors = new List<string>();
        foreach (var context in contexts.Where(c => c.ExistingRows > 0 && !form.ReplaceExisting))
        {
            errors.Add($"Context {context.Context} has {context.ExistingRows} rows already: choose to replace them, or rename the context in the file.");
        }
        if (form.TenantKey is { Length: > 0 } key)
        {
            foreach (var context in contexts.Where(c => c.ExistingRows == 0))
            {
                if (await OwnerAsync(context.Context, ct) is { } owner && !Same(owner, key))
                {
                    errors.Add($"Context {context.Context} belongs to tenant {owner} already.");
                }
            }
        }
        var replaced = form.ReplaceExisting ? contexts.Where(c => c.ExistingRows > 0).Select(c => c.Context).ToList() : [];
        var owners = form.TenantKey is { Length: > 0 } importer
            ? contexts.Where(c => c.ExistingRows == 0).ToDictionary(c => c.Context, _ => importer, StringComparer.OrdinalIgnoreCase)
            : null;
        var check = await CheckRowsAsync(db, parsed.Rows, parsed.Rows, [], replaced, rowWarnings: false, owners, ct);
        return new ImportPlan(parsed.Rows, contexts, parsed.Notes, check with { Errors = [.. errors, .. check.Errors] });
    }

    /// <summary>Deletes a context's rows set-based, auditing each with its values (they cannot be read back later).</summary>
    private static async Task<int> DeleteRowsAsync(WriteScope scope, string context, CancellationToken ct)
    {
        var rows = await scope.Db.Extensions.AsNoTracking().Where(e => e.Context == context).OrderBy(e => e.Exten).ThenBy(e => e.Priority).ToListAsync(ct);
        await ExecuteAsync(scope, "DELETE FROM extensions WHERE context = @context", ct, ("@context", context));
        foreach (var row in rows)
        {
            scope.Audit(new AuditChange("extensions", row.Id.ToString(), Values(
                ("id", row.Id), ("context", row.Context), ("exten", row.Exten), ("priority", row.Priority), ("app", row.App), ("appdata", row.Appdata)), null));
        }
        return rows.Count;
    }

    private async Task AddToTenantAsync(WriteScope scope, string tenantKey, string context, CancellationToken ct)
    {
        if (await OwnerAsync(context, ct) is { } owner)
        {
            if (!Same(owner, tenantKey))
            {
                throw new WriteRefusedException($"Context {context} belongs to tenant {owner} already.");
            }
            return;
        }
        var added = await ExecuteAsync(scope,
            $"INSERT INTO `{options.Value.PortalDatabase}`.tenant_contexts (tenant_id, context) SELECT id, @context FROM `{options.Value.PortalDatabase}`.tenants WHERE tenant_key = @key",
            ct, ("@context", context), ("@key", tenantKey));
        if (added == 0)
        {
            throw new WriteRefusedException($"There is no tenant {tenantKey}.");
        }
        scope.Audit(new AuditChange("tenant_contexts", context, null, Values(("tenant", tenantKey), ("context", context))));
    }

    /// <summary>Drops a context from its tenant's list, unless voicemail boxes live in a voicemail context of that name.</summary>
    private async Task RemoveFromTenantAsync(WriteScope scope, string context, CancellationToken ct)
    {
        var removed = await ExecuteAsync(scope,
            $"DELETE FROM `{options.Value.PortalDatabase}`.tenant_contexts WHERE context = @context AND NOT EXISTS (SELECT 1 FROM voicemail WHERE context = @context)",
            ct, ("@context", context));
        if (removed > 0)
        {
            scope.Audit(new AuditChange("tenant_contexts", context, Values(("context", context)), null));
        }
    }

    /// <summary>The tenant that owns the context: one indexed lookup, not every tenant with its contexts.</summary>
    private async Task<string?> OwnerAsync(string context, CancellationToken ct) =>
        (await tenants.OwnersOfAsync([context], ct)).GetValueOrDefault(context);

    private static async Task<Extension> StepAsync(AsteriskDb db, int id, CancellationToken ct) =>
        await db.Extensions.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct)
        ?? throw new WriteRefusedException("That step is gone: someone deleted it meanwhile.");

    private async Task RequireOperatorAsync(Caller caller, string action, string key, CancellationToken ct)
    {
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, action, "extensions", key, ct);
        }
    }

    private static async Task<int> ExecuteAsync(WriteScope scope, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new MySqlCommand(sql, scope.Connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static Dictionary<string, object?> Values(params (string Column, object? Value)[] values) => values.ToDictionary(v => v.Column, v => v.Value);

    private static string Where(ExtensionRow row) => $"{row.Context} {row.Exten},{row.Priority}";

    // The database compares context, exten and app without case.
    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
