using System.Runtime.CompilerServices;
using System.Text;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.Pins;

/// <summary>A PIN as lists show it: masked, never the digits.</summary>
public sealed record PinRow(int Id, string Company, string Masked, bool Active);

/// <summary>
/// Which PINs a list shows: one tenant's (a tenant admin's own when null), or every tenant's for an operator. The search
/// is a prefix of the digits within a tenant; across tenants, of the stored value (<c>1111-12</c>), the one index order.
/// </summary>
public sealed record PinFilter(string? TenantKey = null, string? Search = null, bool? Active = null);

/// <summary>A PIN opened for editing: still masked; <see cref="PinCommands.RevealAsync"/> shows it on demand.</summary>
/// <param name="Original">The PIN's fingerprint when it was read: the edit form's <see cref="PinForm.Original"/>.</param>
public sealed record PinDetail(int Id, string Company, string Masked, bool Active, string Original);

/// <summary>A tenant whose PINs the caller manages, with the prefix its PINs are stored under.</summary>
public sealed record PinTenant(string Key, string Name, string? Accountcode);

/// <summary>What an import would do (dry run) or did: nothing at all when a single line has a problem.</summary>
public sealed record PinImportReport(int Lines, int ToAdd, int ToChange, int Unchanged, int ProblemCount, IReadOnlyList<PinCsvProblem> Problems)
{
    public const int ProblemsShown = 100;

    public bool CanImport => ProblemCount == 0 && Lines > 0;
}

public sealed record PinImportResult(PinImportReport Report, WriteResult? Result);

public sealed record PinGenerateResult(WriteResult Result, IReadOnlyList<string> Pins);

/// <summary>
/// Every read and write of <c>pins</c>. A tenant admin reaches only the rows whose <c>company</c> is their tenant key;
/// each method checks that itself, whatever the page asked for, and a refused attempt is logged and audited.
/// The digits never reach the audit log: single rows are masked by <see cref="AuditChange"/>, bulk work is audited as counts.
/// </summary>
public sealed class PinCommands(
    IDbContextFactory<AsteriskDb> asterisk,
    IDbContextFactory<PortalDb> portal,
    MasterWriter writer,
    RealtimeSchema schema,
    ILogger<PinCommands> log)
{
    /// <summary>Rows per INSERT of a bulk write: one statement per thousand keeps each under max_allowed_packet.</summary>
    private const int BatchSize = 1000;

    /// <summary>Every tenant's PINs in the order of the stored value, by the pin index; the id breaks ties between tenants.</summary>
    private static readonly KeysetOrder<Pin> ByCode = new(p => p.Code, p => p.Id);

    /// <summary>
    /// One tenant's, by the stored value alone, which the unique (company, pin) index keeps unique. With the id as well,
    /// that index (unique, so MariaDB does not extend it with the id) no longer gives the order, and MariaDB walks the
    /// pin index from its start instead (measured for a tenant of 200,000 PINs: up to 970 ms a page instead of 1).
    /// </summary>
    private static readonly KeysetOrder<Pin> ByTenantCode = new(p => p.Code);

    private readonly PinFormValidator validator = new(schema);
    private readonly PinGenerateFormValidator generateValidator = new(schema);

    public async Task<IReadOnlyList<PinTenant>> TenantsAsync(Caller caller, CancellationToken ct)
    {
        await using var db = await portal.CreateDbContextAsync(ct);
        var tenants = db.Tenants.AsNoTracking();
        if (!caller.IsOperator)
        {
            tenants = tenants.Where(t => t.Key == caller.TenantKey);
        }
        return await tenants.OrderBy(t => t.Key).Select(t => new PinTenant(t.Key, t.Name, t.Accountcode)).ToListAsync(ct);
    }

    /// <summary>A tenant whose PINs the caller may manage; another tenant is refused and audited.</summary>
    public async Task<PinTenant> TenantAsync(Caller caller, string tenantKey, CancellationToken ct)
    {
        if (!caller.CanAccessTenant(tenantKey))
        {
            throw await DenyAsync(caller, "open pins", "company=" + tenantKey, ct);
        }
        return (await TenantsAsync(caller, ct)).FirstOrDefault(t => t.Key == tenantKey) ?? throw new WriteRefusedException($"There is no tenant {tenantKey}.");
    }

    /// <summary>
    /// One page of PINs by keyset, in the order of the stored value: a tenant's walk the (company, pin) index, every
    /// tenant's the pin index, so a page deep in 200,000 PINs reads 26 index entries. The cursors hold stored values
    /// and stay on the server; the rows are masked.
    /// </summary>
    public async Task<IReadOnlyList<KeysetRow<PinRow>>> PageAsync(Caller caller, PinFilter filter, bool descending, KeysetRequest request, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        var (pins, tenant) = await FilterAsync(caller, db, filter, ct);
        return await pins.PageAsync(tenant is null ? ByCode : ByTenantCode, descending, request, p => new PinRow(p.Id, p.Company, PinCodes.Mask(p.Code), p.Active == "yes"), ct);
    }

    /// <summary>How many PINs the list has, exact up to <see cref="Keyset.CountCap"/>.</summary>
    public async Task<CappedCount> CountAsync(Caller caller, PinFilter filter, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        var (pins, _) = await FilterAsync(caller, db, filter, ct);
        return await pins.CountCappedAsync(db, caller.IsOperator && filter == new PinFilter(), ct);
    }

    /// <summary>The PINs the filter leaves, and the one tenant they belong to (null: every tenant's, for an operator).</summary>
    private async Task<(IQueryable<Pin> Pins, string? TenantKey)> FilterAsync(Caller caller, AsteriskDb db, PinFilter filter, CancellationToken ct)
    {
        var key = caller.IsOperator ? filter.TenantKey : filter.TenantKey ?? caller.TenantKey;
        if (!caller.IsOperator && key != caller.TenantKey)
        {
            throw await DenyAsync(caller, "list pins", "company=" + key, ct);
        }
        var pins = db.Pins.AsNoTracking();
        if (key is not null)
        {
            pins = pins.Where(p => p.Company == key);
        }
        var search = new string((filter.Search ?? "").Where(c => char.IsAsciiDigit(c) || (key is null && c == '-')).ToArray());
        if (search.Length > 0)
        {
            var prefix = key is null ? "" : await AccountcodeOfAsync(key, ct) + "-";
            pins = pins.Where(p => EF.Functions.Like(p.Code, prefix + search + "%"));
        }
        if (filter.Active is { } active)
        {
            var value = PinForm.ActiveValue(active);
            pins = pins.Where(p => p.Active == value);
        }
        return (pins, key);
    }

    /// <summary>A PIN for its edit page; null when it does not exist. Another tenant's PIN is refused, not shown.</summary>
    public async Task<PinDetail?> GetAsync(Caller caller, int id, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        var company = await db.Pins.Where(p => p.Id == id).Select(p => p.Company).SingleOrDefaultAsync(ct);
        if (company is null)
        {
            return null;
        }
        if (!caller.CanAccessTenant(company))
        {
            throw await DenyAsync(caller, "open pin", id.ToString(), ct);
        }
        var pin = await db.Pins.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.Code, p.Active }).SingleAsync(ct);
        return new PinDetail(id, company, PinCodes.Mask(pin.Code), pin.Active == "yes", EditConflictException.Of(pin.Code, pin.Active));
    }

    /// <summary>The stored PIN in clear, on demand. Who looked at which PIN is audited (without the digits).</summary>
    public async Task<string> RevealAsync(Caller caller, int id, CancellationToken ct)
    {
        var company = await CompanyOfAsync(id, ct);
        if (!caller.CanAccessTenant(company))
        {
            throw await DenyAsync(caller, "reveal pin", id.ToString(), ct);
        }
        string? code = null;
        await writer.WriteAsync(caller, "reveal pin", async (scope, token) =>
        {
            code = await scope.Db.Pins.Where(p => p.Id == id && p.Company == company).Select(p => p.Code).SingleOrDefaultAsync(token)
                ?? throw new WriteRefusedException("This PIN was deleted meanwhile.");
            scope.Audit(new AuditChange("pins", id.ToString(), null, null));
        }, ct);
        return code!;
    }

    public async Task<WriteResult> AddAsync(Caller caller, string tenantKey, PinForm form, CancellationToken ct)
    {
        if (!caller.CanAccessTenant(tenantKey))
        {
            throw await DenyAsync(caller, "add pin", "company=" + tenantKey, ct);
        }
        form.Accountcode = await AccountcodeOfAsync(tenantKey, ct) ?? throw new WriteRefusedException($"There is no tenant {tenantKey}.");
        form.IsEdit = false;
        await validator.ValidateAndThrowAsync(form, ct);
        return await writer.WriteAsync(caller, "add pin", async (scope, token) =>
        {
            await ThrowIfTakenAsync(scope, tenantKey, form.Stored, 0, token);
            scope.Db.Pins.Add(new Pin { Company = tenantKey, Code = form.Stored, Active = PinForm.ActiveValue(form.Active) });
        }, ct);
    }

    /// <summary>Changes the active flag, and the digits when the form has new ones (empty digits keep the PIN).</summary>
    public async Task<WriteResult> EditAsync(Caller caller, int id, PinForm form, CancellationToken ct)
    {
        var company = await CompanyOfAsync(id, ct);
        if (!caller.CanAccessTenant(company))
        {
            throw await DenyAsync(caller, "edit pin", id.ToString(), ct);
        }
        form.Accountcode = await AccountcodeOfAsync(company, ct) ?? "";
        form.IsEdit = true;
        await validator.ValidateAndThrowAsync(form, ct);
        return await writer.WriteAsync(caller, "edit pin", async (scope, token) =>
        {
            var pin = await LoadAsync(scope, id, company, token);
            EditConflictException.ThrowIfChanged("This PIN", form.Original, EditConflictException.Of(pin.Code, pin.Active));
            if (form.Digits.Length > 0)
            {
                await ThrowIfTakenAsync(scope, company, form.Stored, id, token);
                pin.Code = form.Stored;
            }
            pin.Active = PinForm.ActiveValue(form.Active);
        }, ct);
    }

    public async Task<WriteResult> SetActiveAsync(Caller caller, int id, bool active, CancellationToken ct)
    {
        var action = active ? "activate pin" : "deactivate pin";
        var company = await CompanyOfAsync(id, ct);
        if (!caller.CanAccessTenant(company))
        {
            throw await DenyAsync(caller, action, id.ToString(), ct);
        }
        return await writer.WriteAsync(caller, action, async (scope, token) =>
        {
            (await LoadAsync(scope, id, company, token)).Active = PinForm.ActiveValue(active);
        }, ct);
    }

    public async Task<WriteResult> DeleteAsync(Caller caller, int id, CancellationToken ct)
    {
        var company = await CompanyOfAsync(id, ct);
        if (!caller.CanAccessTenant(company))
        {
            throw await DenyAsync(caller, "delete pin", id.ToString(), ct);
        }
        return await writer.WriteAsync(caller, "delete pin", async (scope, token) =>
        {
            scope.Db.Pins.Remove(await LoadAsync(scope, id, company, token));
        }, ct);
    }

    /// <summary>Makes <see cref="PinGenerateForm.Count"/> random PINs the tenant does not have yet, in one transaction.</summary>
    public async Task<PinGenerateResult> GenerateAsync(Caller caller, string tenantKey, PinGenerateForm form, CancellationToken ct)
    {
        if (!caller.CanAccessTenant(tenantKey))
        {
            throw await DenyAsync(caller, "generate pins", "company=" + tenantKey, ct);
        }
        form.Accountcode = await AccountcodeOfAsync(tenantKey, ct) ?? throw new WriteRefusedException($"There is no tenant {tenantKey}.");
        await generateValidator.ValidateAndThrowAsync(form, ct);
        IReadOnlyList<string> made = [];
        var result = await writer.WriteAsync(caller, "generate pins", async (scope, token) =>
        {
            var taken = (await ExistingAsync(scope.Db, tenantKey, token)).Keys
                .Where(stored => stored.StartsWith(form.Accountcode + "-", StringComparison.Ordinal))
                .Select(PinCodes.DigitsOf)
                .ToHashSet();
            if (!PinCodes.HasRoom(form.Count, form.Length, taken.Count))
            {
                throw new WriteRefusedException($"{form.Count:N0} more PINs of {form.Length} digits would make them easy to guess (the tenant has {taken.Count:N0}): choose more digits.");
            }
            made = PinCodes.Generate(form.Count, form.Length, taken).Select(d => $"{form.Accountcode}-{d}").ToList();
            await InsertAsync(scope, tenantKey, made.Select(stored => (stored, form.Active)), token);
            scope.Audit(new AuditChange("pins", "company=" + tenantKey, null, new Dictionary<string, object?> { ["generated"] = made.Count, ["digits"] = form.Length }));
        }, ct);
        return new PinGenerateResult(result, made);
    }

    /// <summary>
    /// Imports a PIN file: the dry run reports what would happen; the real run does it all in one transaction, or
    /// nothing when any line has a problem. PINs in the file the tenant already has get their active flag from the file.
    /// </summary>
    public async Task<PinImportResult> ImportAsync(Caller caller, string tenantKey, string csv, bool dryRun, CancellationToken ct)
    {
        if (!caller.CanAccessTenant(tenantKey))
        {
            throw await DenyAsync(caller, dryRun ? "check pin import" : "import pins", "company=" + tenantKey, ct);
        }
        var accountcode = await AccountcodeOfAsync(tenantKey, ct) ?? throw new WriteRefusedException($"There is no tenant {tenantKey}.");
        if (accountcode.Length == 0)
        {
            throw new WriteRefusedException("This tenant has no accountcode yet, and PINs are stored as <accountcode>-<digits>: an operator sets it on the Tenants page.");
        }
        var (rows, problems) = CheckLines(csv, accountcode);
        if (dryRun)
        {
            await using var db = await asterisk.CreateDbContextAsync(ct);
            return new PinImportResult(Plan(rows, problems, accountcode, await ExistingAsync(db, tenantKey, ct)).Report, null);
        }
        if (problems.Count > 0)
        {
            throw new WriteRefusedException($"{problems.Count:N0} line(s) of the file cannot be imported (first: line {problems[0].Line}: {problems[0].Message}); nothing was imported.");
        }
        PinImportReport? report = null;
        var result = await writer.WriteAsync(caller, "import pins", async (scope, token) =>
        {
            // Planned again inside the transaction: the rows may have changed since the dry run.
            var plan = Plan(rows, problems, accountcode, await ExistingAsync(scope.Db, tenantKey, token));
            report = plan.Report;
            if (report.Lines == 0)
            {
                throw new WriteRefusedException("The file has no PINs.");
            }
            await InsertAsync(scope, tenantKey, plan.Add, token);
            foreach (var group in plan.Change.GroupBy(c => c.Active, c => c.Id))
            {
                foreach (var batch in group.Chunk(BatchSize))
                {
                    await using var command = new MySqlCommand(
                        $"UPDATE pins SET active = @active WHERE company = @company AND id IN ({string.Join(",", batch)})", scope.Connection);
                    command.Parameters.AddWithValue("@active", PinForm.ActiveValue(group.Key));
                    command.Parameters.AddWithValue("@company", tenantKey);
                    await command.ExecuteNonQueryAsync(token);
                }
            }
            scope.Audit(new AuditChange("pins", "company=" + tenantKey, null, new Dictionary<string, object?> { ["added"] = report.ToAdd, ["changed"] = report.ToChange }));
        }, ct);
        log.LogInformation("{User} imported {Added} PIN(s) and changed {Changed} for {Tenant} in {Ms} ms", caller.UserName, report!.ToAdd, report.ToChange, tenantKey, result.Elapsed.TotalMilliseconds);
        return new PinImportResult(report, result);
    }

    /// <summary>The tenant's PINs in clear, for <see cref="PinCsv"/>. Authorized and audited before any row is read.</summary>
    /// <returns>Null when there is no such tenant: nothing is exported, and nothing audited about a tenant that does not exist.</returns>
    public async Task<IAsyncEnumerable<(string Stored, string Active)>?> ExportAsync(Caller caller, string tenantKey, CancellationToken ct)
    {
        if (!caller.CanAccessTenant(tenantKey))
        {
            throw await DenyAsync(caller, "export pins", "company=" + tenantKey, ct);
        }
        await using (var db = await portal.CreateDbContextAsync(ct))
        {
            if (!await db.Tenants.AnyAsync(t => t.Key == tenantKey, ct))
            {
                return null;
            }
        }
        await writer.WriteAsync(caller, "export pins", (scope, _) =>
        {
            scope.Audit(new AuditChange("pins", "company=" + tenantKey, null, null));
            return Task.CompletedTask;
        }, ct);
        return ExportRowsAsync(tenantKey, ct);
    }

    private async IAsyncEnumerable<(string Stored, string Active)> ExportRowsAsync(string tenantKey, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        var pins = db.Pins.AsNoTracking().Where(p => p.Company == tenantKey).OrderBy(p => p.Code).Select(p => new { p.Code, p.Active }).AsAsyncEnumerable();
        await foreach (var pin in pins.WithCancellation(ct))
        {
            yield return (pin.Code, pin.Active);
        }
    }

    private (List<PinCsvRow> Rows, List<PinCsvProblem> Problems) CheckLines(string csv, string accountcode)
    {
        var (rows, problems) = PinCsv.Parse(csv, accountcode);
        var firstLine = new Dictionary<string, int>();
        var valid = new List<PinCsvRow>(rows.Count);
        foreach (var row in rows)
        {
            var errors = validator.Validate(new PinForm { Accountcode = accountcode, Digits = row.Digits, Active = row.Active }).Errors;
            if (errors.Count > 0)
            {
                problems.Add(new PinCsvProblem(row.Line, string.Join(" ", errors.Select(e => e.ErrorMessage))));
            }
            else if (!firstLine.TryAdd(row.Digits, row.Line))
            {
                problems.Add(new PinCsvProblem(row.Line, $"the same PIN as line {firstLine[row.Digits]}"));
            }
            else
            {
                valid.Add(row);
            }
        }
        problems.Sort((a, b) => a.Line.CompareTo(b.Line));
        return (valid, problems);
    }

    private static (PinImportReport Report, List<(string Stored, bool Active)> Add, List<(int Id, bool Active)> Change) Plan(
        List<PinCsvRow> rows, List<PinCsvProblem> problems, string accountcode, Dictionary<string, (int Id, string Active)> existing)
    {
        var add = new List<(string, bool)>();
        var change = new List<(int, bool)>();
        foreach (var row in rows)
        {
            var stored = $"{accountcode}-{row.Digits}";
            if (!existing.TryGetValue(stored, out var current))
            {
                add.Add((stored, row.Active));
            }
            else if (current.Active != PinForm.ActiveValue(row.Active))
            {
                change.Add((current.Id, row.Active));
            }
        }
        var report = new PinImportReport(rows.Count + problems.Count, add.Count, change.Count, rows.Count - add.Count - change.Count, problems.Count, problems.Take(PinImportReport.ProblemsShown).ToList());
        return (report, add, change);
    }

    private static async Task<Dictionary<string, (int Id, string Active)>> ExistingAsync(AsteriskDb db, string tenantKey, CancellationToken ct)
    {
        var rows = await db.Pins.AsNoTracking().Where(p => p.Company == tenantKey).Select(p => new { p.Id, p.Code, p.Active }).ToListAsync(ct);
        var existing = new Dictionary<string, (int, string)>(rows.Count, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            existing.TryAdd(row.Code, (row.Id, row.Active));
        }
        return existing;
    }

    /// <summary>Set-based: a multi-row INSERT per thousand PINs, on the write path's connection and transaction.</summary>
    private static async Task InsertAsync(WriteScope scope, string company, IEnumerable<(string Stored, bool Active)> pins, CancellationToken ct)
    {
        foreach (var batch in pins.Chunk(BatchSize))
        {
            var sql = new StringBuilder("INSERT INTO pins (company, pin, active) VALUES ");
            await using var command = new MySqlCommand { Connection = scope.Connection };
            command.Parameters.AddWithValue("@company", company);
            for (var i = 0; i < batch.Length; i++)
            {
                sql.Append(i == 0 ? "" : ",").Append("(@company,@p").Append(i).Append(batch[i].Active ? ",'yes')" : ",'no')");
                command.Parameters.AddWithValue("@p" + i, batch[i].Stored);
            }
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task ThrowIfTakenAsync(WriteScope scope, string company, string stored, int exceptId, CancellationToken ct)
    {
        if (await scope.Db.Pins.AnyAsync(p => p.Company == company && p.Code == stored && p.Id != exceptId, ct))
        {
            throw new WriteRefusedException("This tenant already has that PIN.");
        }
    }

    /// <summary>Loads the row to change, still of the company that was authorized (it cannot have moved meanwhile).</summary>
    /// <summary>Loads the PIN to change, locked until the commit, so that a second save waits and then sees this one.</summary>
    private static async Task<Pin> LoadAsync(WriteScope scope, int id, string company, CancellationToken ct)
    {
        await scope.LockRowAsync("pins", "id", id, ct);
        return await scope.Db.Pins.SingleOrDefaultAsync(p => p.Id == id && p.Company == company, ct)
            ?? throw new WriteRefusedException("This PIN was deleted meanwhile.");
    }

    private async Task<string> CompanyOfAsync(int id, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        return await db.Pins.Where(p => p.Id == id).Select(p => p.Company).SingleOrDefaultAsync(ct)
            ?? throw new WriteRefusedException("There is no such PIN (it may have been deleted).");
    }

    /// <summary>The tenant's accountcode: "" when it has none yet, null when there is no such tenant.</summary>
    private async Task<string?> AccountcodeOfAsync(string tenantKey, CancellationToken ct)
    {
        await using var db = await portal.CreateDbContextAsync(ct);
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Key == tenantKey).Select(t => new { t.Accountcode }).SingleOrDefaultAsync(ct);
        return tenant is null ? null : tenant.Accountcode ?? "";
    }

    private Task<AccessDeniedException> DenyAsync(Caller caller, string action, string key, CancellationToken ct) =>
        writer.DenyAsync(caller, action, "pins", key, ct);
}
