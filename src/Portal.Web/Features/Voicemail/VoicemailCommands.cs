using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.Voicemail;

public sealed record VoicemailRow(int Uniqueid, string Context, string Mailbox, string Fullname, string Email, string Tz);

public enum VoicemailSort
{
    Mailbox,
    Context,
    Fullname,
    Email,
}

/// <summary>
/// Which boxes a list shows, always within the caller's own contexts. The search is a prefix of the mailbox, full
/// name or email, which their indexes serve; <see cref="Contains"/> reaches into the middle of a value, and reads
/// every box the other filters leave.
/// </summary>
public sealed record VoicemailFilter(string? Search = null, bool Contains = false, string? TenantKey = null, string? Context = null)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Search) && TenantKey is null && string.IsNullOrWhiteSpace(Context);
}

/// <summary>A context the caller may put mailboxes in, and the tenant it belongs to (its key becomes <c>customer_id</c>).</summary>
public sealed record VoicemailContext(string Context, string TenantKey);

/// <summary>
/// Every read and write of <c>voicemail</c>. A tenant admin reaches only the boxes in their tenant's contexts, checked
/// here for every call whatever the page sent; a refused attempt is logged and audited and touches nothing.
/// </summary>
public sealed class VoicemailCommands(
    IDbContextFactory<AsteriskDb> asterisk,
    IDbContextFactory<PortalDb> portal,
    TenantDirectory tenants,
    MasterWriter writer,
    RealtimeSchema schema,
    IOptions<VoicemailOptions> options,
    IOptions<DatabaseOptions> database)
{
    /// <summary>Mailbox and context sort by both (the boxes of one number in several contexts stay together); the id breaks the rest of the ties.</summary>
    private static readonly Dictionary<VoicemailSort, KeysetOrder<VoicemailBox>> Orders = new()
    {
        [VoicemailSort.Mailbox] = new(v => v.Mailbox, v => v.Context, v => v.Uniqueid),
        [VoicemailSort.Context] = new(v => v.Context, v => v.Mailbox, v => v.Uniqueid),
        [VoicemailSort.Fullname] = new(v => v.Fullname, v => v.Uniqueid),
        [VoicemailSort.Email] = new(v => v.Email, v => v.Uniqueid),
    };

    private readonly VoicemailFormValidator validator = new(schema, options.Value);

    /// <summary>The contexts of the caller's tenant; an operator's are every tenant's.</summary>
    public async Task<IReadOnlyList<VoicemailContext>> ContextsAsync(Caller caller, CancellationToken ct)
    {
        await using var db = await portal.CreateDbContextAsync(ct);
        // A join, not a navigation: EF turns SelectMany over t.Contexts into CROSS APPLY, which MariaDB lacks.
        var owned = from t in db.Tenants.AsNoTracking()
                    join c in db.TenantContexts on t.Id equals c.TenantId
                    select new { c.Context, t.Key };
        if (!caller.IsOperator)
        {
            owned = owned.Where(c => c.Key == caller.TenantKey);
        }
        var rows = await owned.OrderBy(c => c.Context).ToListAsync(ct);
        return rows.Select(c => new VoicemailContext(c.Context, c.Key)).ToList();
    }

    /// <summary>One page of boxes by keyset: every sort has an index (see SchemaCheck), so a deep page is a seek.</summary>
    public async Task<IReadOnlyList<KeysetRow<VoicemailRow>>> PageAsync(
        Caller caller, VoicemailFilter filter, VoicemailSort sort, bool descending, KeysetRequest request, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        var boxes = await FilterAsync(caller, db, filter, ct);
        return await boxes.PageAsync(Orders[sort], descending, request, v => new VoicemailRow(v.Uniqueid, v.Context, v.Mailbox, v.Fullname, v.Email, v.Tz), ct);
    }

    /// <summary>How many boxes the list has, exact up to <see cref="Keyset.CountCap"/>.</summary>
    public async Task<CappedCount> CountAsync(Caller caller, VoicemailFilter filter, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        var boxes = await FilterAsync(caller, db, filter, ct);
        return await boxes.CountCappedAsync(db, caller.IsOperator && filter.IsEmpty, ct);
    }

    private async Task<IQueryable<VoicemailBox>> FilterAsync(Caller caller, AsteriskDb db, VoicemailFilter filter, CancellationToken ct)
    {
        var boxes = db.VoicemailBoxes.AsNoTracking();
        if (await tenants.VisibleContextsAsync(caller, ct) is { } visible)
        {
            boxes = boxes.Where(v => visible.Contains(v.Context));
        }
        if (filter.TenantKey is { } tenant)
        {
            var contexts = await tenants.ContextsOfAsync(tenant, ct);
            boxes = boxes.Where(v => contexts.Contains(v.Context));
        }
        if (filter.Context?.Trim() is { Length: > 0 } context)
        {
            boxes = boxes.Where(v => v.Context == context);
        }
        if (filter.Search?.Trim() is { Length: > 0 } search)
        {
            var pattern = Keyset.LikePattern(search, filter.Contains);
            boxes = boxes.Where(v => EF.Functions.Like(v.Mailbox, pattern, @"\") || EF.Functions.Like(v.Fullname, pattern, @"\") || EF.Functions.Like(v.Email, pattern, @"\"));
        }
        return boxes;
    }

    /// <summary>A box for its edit page (without its password); null when it does not exist. Another tenant's is refused.</summary>
    public async Task<VoicemailForm?> GetAsync(Caller caller, int uniqueid, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        var context = await db.VoicemailBoxes.Where(v => v.Uniqueid == uniqueid).Select(v => v.Context).SingleOrDefaultAsync(ct);
        if (context is null)
        {
            return null;
        }
        if (!await CanReachAsync(caller, context, ct))
        {
            throw await DenyAsync(caller, "open mailbox", uniqueid.ToString(), ct);
        }
        return VoicemailForm.From(await db.VoicemailBoxes.AsNoTracking().SingleAsync(v => v.Uniqueid == uniqueid, ct));
    }

    public async Task<WriteResult> AddAsync(Caller caller, VoicemailForm form, CancellationToken ct)
    {
        var owner = await OwnerOfAsync(caller, "add mailbox", form.Context, $"{form.Mailbox}@{form.Context}", ct);
        form.IsEdit = false;
        await validator.ValidateAndThrowAsync(form, ct);
        return await UniqueAsync(form, () => writer.WriteAsync(caller, "add mailbox", async (scope, token) =>
        {
            await ThrowIfTakenAsync(scope, form, 0, token);
            var box = new VoicemailBox();
            form.ApplyTo(box, owner);
            scope.Db.VoicemailBoxes.Add(box);
        }, ct));
    }

    public async Task<WriteResult> EditAsync(Caller caller, int uniqueid, VoicemailForm form, CancellationToken ct)
    {
        var current = await ContextOfAsync(uniqueid, ct);
        if (!await CanReachAsync(caller, current, ct))
        {
            throw await DenyAsync(caller, "edit mailbox", uniqueid.ToString(), ct);
        }
        var owner = await OwnerOfAsync(caller, "edit mailbox", form.Context, uniqueid.ToString(), ct);
        form.IsEdit = true;
        await validator.ValidateAndThrowAsync(form, ct);
        return await UniqueAsync(form, () => writer.WriteAsync(caller, "edit mailbox", async (scope, token) =>
        {
            await ThrowIfTakenAsync(scope, form, uniqueid, token);
            var box = await LoadAsync(scope, uniqueid, current, token);
            EditConflictException.ThrowIfChanged($"Mailbox {box.Mailbox}@{box.Context}", form.Original, VoicemailForm.Fingerprint(box));
            form.ApplyTo(box, owner);
        }, ct));
    }

    public async Task<WriteResult> DeleteAsync(Caller caller, int uniqueid, CancellationToken ct)
    {
        var current = await ContextOfAsync(uniqueid, ct);
        if (!await CanReachAsync(caller, current, ct))
        {
            throw await DenyAsync(caller, "delete mailbox", uniqueid.ToString(), ct);
        }
        return await writer.WriteAsync(caller, "delete mailbox", async (scope, token) =>
        {
            scope.Db.VoicemailBoxes.Remove(await LoadAsync(scope, uniqueid, current, token));
        }, ct);
    }

    /// <summary>
    /// The tenant key that owns a context the caller wants to put a box in. A tenant admin naming a context that is
    /// not theirs is refused and audited; a context of no tenant at all has nobody to be the box's customer_id.
    /// </summary>
    private async Task<string> OwnerOfAsync(Caller caller, string action, string context, string key, CancellationToken ct)
    {
        var owner = (await ContextsAsync(caller, ct)).FirstOrDefault(c => c.Context == context)?.TenantKey;
        if (owner is null && !caller.IsOperator)
        {
            throw await DenyAsync(caller, action, key, ct);
        }
        return owner ?? throw new WriteRefusedException($"Context {context} belongs to no tenant: add it to one on the Tenants page first.");
    }

    private async Task<bool> CanReachAsync(Caller caller, string context, CancellationToken ct) =>
        await tenants.VisibleContextsAsync(caller, ct) is not { } visible || visible.Contains(context);

    /// <summary>
    /// Asterisk finds a box by context and mailbox, so a second row of the pair is a box nobody reaches. Saves into one
    /// context take turns on its tenant_contexts row first: at read committed the check below then sees what a save
    /// that went first committed, so saves racing from several tabs make one box, on a database without the unique
    /// key (context, mailbox) too; with it, a race the lock did not cover still ends in this message, not a key error.
    /// </summary>
    private async Task ThrowIfTakenAsync(WriteScope scope, VoicemailForm form, int exceptId, CancellationToken ct)
    {
        await using (var lockContext = new MySqlCommand($"SELECT tenant_id FROM `{database.Value.PortalDatabase}`.tenant_contexts WHERE context = @context FOR UPDATE", scope.Connection))
        {
            lockContext.Parameters.AddWithValue("@context", form.Context);
            await lockContext.ExecuteScalarAsync(ct);
        }
        if (await scope.Db.VoicemailBoxes.AnyAsync(v => v.Context == form.Context && v.Mailbox == form.Mailbox && v.Uniqueid != exceptId, ct))
        {
            throw Taken(form);
        }
    }

    private static WriteRefusedException Taken(VoicemailForm form) => new($"Mailbox {form.Mailbox} already exists in context {form.Context}.");

    /// <summary>The unique key (context, mailbox) refused the row: said as the check above says it.</summary>
    private static async Task<WriteResult> UniqueAsync(VoicemailForm form, Func<Task<WriteResult>> write)
    {
        try
        {
            return await write();
        }
        catch (WriteRefusedException e) when (e.InnerException is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry })
        {
            throw Taken(form);
        }
    }

    /// <summary>Loads the row to change, locked until the commit, still in the context that was authorized.</summary>
    private static async Task<VoicemailBox> LoadAsync(WriteScope scope, int uniqueid, string context, CancellationToken ct)
    {
        await scope.LockRowAsync("voicemail", "uniqueid", uniqueid, ct);
        return await scope.Db.VoicemailBoxes.SingleOrDefaultAsync(v => v.Uniqueid == uniqueid && v.Context == context, ct)
            ?? throw new WriteRefusedException("This mailbox was deleted or moved meanwhile.");
    }

    private async Task<string> ContextOfAsync(int uniqueid, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        return await db.VoicemailBoxes.Where(v => v.Uniqueid == uniqueid).Select(v => v.Context).SingleOrDefaultAsync(ct)
            ?? throw new WriteRefusedException("There is no such mailbox (it may have been deleted).");
    }

    private Task<AccessDeniedException> DenyAsync(Caller caller, string action, string key, CancellationToken ct) =>
        writer.DenyAsync(caller, action, "voicemail", key, ct);
}
