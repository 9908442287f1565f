using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;

namespace Portal.Web.Features.Voicemail;

public sealed record VoicemailRow(int Uniqueid, string Context, string Mailbox, string Fullname, string Email, string Tz);

public sealed record VoicemailQuery(string? Search, string SortBy, bool Descending, int Page, int PageSize);

public sealed record VoicemailRows(IReadOnlyList<VoicemailRow> Rows, int Total);

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
    IOptions<VoicemailOptions> options)
{
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

    public async Task<VoicemailRows> ListAsync(Caller caller, VoicemailQuery query, CancellationToken ct)
    {
        var visible = await tenants.VisibleContextsAsync(caller, ct);
        await using var db = await asterisk.CreateDbContextAsync(ct);
        var boxes = db.VoicemailBoxes.AsNoTracking();
        if (visible is not null)
        {
            boxes = boxes.Where(v => visible.Contains(v.Context));
        }
        if (query.Search?.Trim() is { Length: > 0 } search)
        {
            boxes = boxes.Where(v => v.Mailbox.StartsWith(search) || v.Fullname.Contains(search) || v.Email.Contains(search));
        }
        var total = await boxes.CountAsync(ct);
        boxes = (query.SortBy, query.Descending) switch
        {
            ("Context", false) => boxes.OrderBy(v => v.Context).ThenBy(v => v.Mailbox),
            ("Context", true) => boxes.OrderByDescending(v => v.Context).ThenByDescending(v => v.Mailbox),
            ("Fullname", false) => boxes.OrderBy(v => v.Fullname),
            ("Fullname", true) => boxes.OrderByDescending(v => v.Fullname),
            ("Email", false) => boxes.OrderBy(v => v.Email),
            ("Email", true) => boxes.OrderByDescending(v => v.Email),
            (_, true) => boxes.OrderByDescending(v => v.Mailbox).ThenByDescending(v => v.Context),
            _ => boxes.OrderBy(v => v.Mailbox).ThenBy(v => v.Context),
        };
        var rows = await boxes.Skip(query.Page * query.PageSize).Take(query.PageSize)
            .Select(v => new VoicemailRow(v.Uniqueid, v.Context, v.Mailbox, v.Fullname, v.Email, v.Tz))
            .ToListAsync(ct);
        return new VoicemailRows(rows, total);
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
        return await writer.WriteAsync(caller, "add mailbox", async (scope, token) =>
        {
            await ThrowIfTakenAsync(scope, form, 0, token);
            var box = new VoicemailBox();
            form.ApplyTo(box, owner);
            scope.Db.VoicemailBoxes.Add(box);
        }, ct);
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
        return await writer.WriteAsync(caller, "edit mailbox", async (scope, token) =>
        {
            var box = await LoadAsync(scope, uniqueid, current, token);
            await ThrowIfTakenAsync(scope, form, uniqueid, token);
            form.ApplyTo(box, owner);
        }, ct);
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

    private static async Task ThrowIfTakenAsync(WriteScope scope, VoicemailForm form, int exceptId, CancellationToken ct)
    {
        if (await scope.Db.VoicemailBoxes.AnyAsync(v => v.Context == form.Context && v.Mailbox == form.Mailbox && v.Uniqueid != exceptId, ct))
        {
            throw new WriteRefusedException($"Mailbox {form.Mailbox} already exists in context {form.Context}.");
        }
    }

    /// <summary>Loads the row to change, still in the context that was authorized.</summary>
    private static async Task<VoicemailBox> LoadAsync(WriteScope scope, int uniqueid, string context, CancellationToken ct) =>
        await scope.Db.VoicemailBoxes.SingleOrDefaultAsync(v => v.Uniqueid == uniqueid && v.Context == context, ct)
        ?? throw new WriteRefusedException("This mailbox was deleted or moved meanwhile.");

    private async Task<string> ContextOfAsync(int uniqueid, CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        return await db.VoicemailBoxes.Where(v => v.Uniqueid == uniqueid).Select(v => v.Context).SingleOrDefaultAsync(ct)
            ?? throw new WriteRefusedException("There is no such mailbox (it may have been deleted).");
    }

    private Task<AccessDeniedException> DenyAsync(Caller caller, string action, string key, CancellationToken ct) =>
        writer.DenyAsync(caller, action, "voicemail", key, ct);
}
