using Microsoft.EntityFrameworkCore;
using Portal.Asterisk;
using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;
using Portal.Web.Data;
using Portal.Web.Features.Nodes;

namespace Portal.Web.Features.Dialplan;

public sealed record ContextRow(string Context, int Extensions, int Steps, string? Tenant);

public sealed record StepRow(int Id, string Context, string Exten, int Priority, string App, string Appdata)
{
    public ExtensionRow ToRow() => new(Context, Exten, Priority, App, Appdata);
}

public sealed record StepView(StepRow Step, IReadOnlyList<StepFinding> Findings);

public sealed record ExtensionView(string Exten, IReadOnlyList<StepView> Steps, IReadOnlyList<ExtensionFinding> Findings);

/// <param name="Exists">Whether the context has any row: a context exists in the table only while it has rows.</param>
/// <param name="ExtensionCount">Extensions of the context that match the filter, for paging.</param>
public sealed record ContextView(string Context, string? Tenant, bool Exists, int ExtensionCount, IReadOnlyList<ExtensionView> Extensions);

public enum SearchField
{
    Exten,
    App,
    Appdata,
}

/// <param name="Total">Matches, counted up to <see cref="DialplanQueries.SearchCountCap"/>.</param>
public sealed record SearchPage(IReadOnlyList<StepRow> Rows, int Total, bool Capped);

/// <param name="AlsoMatching">Other patterns that match the number at this priority, hidden by the answer.</param>
public sealed record SimulatedStep(StepRow Step, SwitchMatchKind Kind, IReadOnlyList<string> AlsoMatching);

/// <param name="Patterns">The context's patterns at priority 1 in the order this Asterisk tries them, and whether
/// each matches the number.</param>
public sealed record Simulation(bool ContextHasRows, IReadOnlyList<SimulatedStep> Steps, IReadOnlyList<(string Exten, bool Matches)> Patterns);

/// <summary>What deleting or renaming a context touches, for the confirmation.</summary>
/// <param name="Mentions">Steps of other contexts whose appdata names this context (Goto targets, Local channels).</param>
/// <param name="MailboxesUseName">Voicemail boxes live in a voicemail context of the same name, so the tenant keeps it.</param>
public sealed record ContextImpact(
    string Context,
    IReadOnlyList<(string Exten, int Steps)> Extensions,
    string? Tenant,
    bool MailboxesUseName,
    IReadOnlyList<string> Peers,
    IReadOnlyList<StepRow> Mentions);

/// <summary>
/// Every read of the dialplan, limited to the contexts the caller may see (all for operators, the tenant's own for
/// a tenant admin). Built for a million rows in ten thousand contexts: contexts are listed by a loose scan of the
/// primary key (context, exten, priority), a context's rows are a range of it, and searches are prefix matches on
/// the indexes SchemaCheck recommends (exten, app, appdata).
/// </summary>
public sealed class DialplanQueries(
    IDbContextFactory<AsteriskDb> factory,
    TenantDirectory tenants,
    MasterWriter writer,
    StepFormValidator validator,
    ContextCounts counts,
    ClusterAsterisk cluster)
{
    /// <summary>Searches count their matches up to here: an exact count of a broad prefix would read the whole index.</summary>
    public const int SearchCountCap = 10_000;

    /// <summary>LIKE for the pattern rows, as the realtime switch itself asks: exten LIKE '\_%'.</summary>
    public const string PatternLike = "\\_%";

    /// <summary>
    /// How many contexts there are (starting with the prefix). An operator's count comes from the table the database
    /// keeps (<see cref="DialplanContextCount"/>); where the operator has not installed it, from SELECT DISTINCT
    /// context, a loose index scan of the primary key (one dive per context), kept briefly (<see cref="ContextCounts"/>).
    /// A tenant's few contexts are counted each time.
    /// </summary>
    public async Task<int> ContextCountAsync(Caller caller, string? prefix, CancellationToken ct)
    {
        var visible = await tenants.VisibleContextsAsync(caller, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        if (visible is not null)
        {
            return await VisibleNames(db, visible, prefix).Distinct().CountAsync(ct);
        }
        return await DialplanContextCount.CountAsync(db, prefix, ct)
            ?? await counts.GetAsync(prefix, token => VisibleNames(db, null, prefix).Distinct().CountAsync(token), ct);
    }

    /// <summary>
    /// A page of contexts with their counts. Given the last context of the page before (<paramref name="after"/>),
    /// the page starts from there in the key (keyset paging, a few index dives); otherwise it skips from the start.
    /// </summary>
    public async Task<IReadOnlyList<ContextRow>> ContextsAsync(Caller caller, string? prefix, string? after, int skip, int take, CancellationToken ct)
    {
        var visible = await tenants.VisibleContextsAsync(caller, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var names = VisibleNames(db, visible, prefix);
        if (after is not null)
        {
            names = names.Where(c => string.Compare(c, after) > 0);
        }
        // GROUP BY, not DISTINCT: EF wraps a DISTINCT in a derived table that MariaDB fills with every context
        // before it sorts and limits; GROUP BY context ORDER BY context LIMIT reads the key in order and stops.
        var page = await names.GroupBy(c => c).Select(g => g.Key).OrderBy(c => c).Skip(skip).Take(take).ToListAsync(ct);
        // The owners come from the portal's database, read meanwhile on a connection of their own.
        var owners = tenants.OwnersOfAsync(page, ct);
        var counts = await db.Extensions.AsNoTracking()
            .Where(e => page.Contains(e.Context))
            .GroupBy(e => e.Context)
            .Select(g => new { g.Key, Extensions = g.Select(e => e.Exten).Distinct().Count(), Steps = g.Count() })
            .ToDictionaryAsync(g => g.Key, StringComparer.OrdinalIgnoreCase, ct);
        var owner = await owners;
        return page
            .Select(c => new ContextRow(c, counts.GetValueOrDefault(c)?.Extensions ?? 0, counts.GetValueOrDefault(c)?.Steps ?? 0, owner.GetValueOrDefault(c)))
            .ToList();
    }

    /// <summary>Context names for a picker: the first few that start with the typed text.</summary>
    public async Task<IReadOnlyList<string>> ContextNamesAsync(Caller caller, string? prefix, CancellationToken ct)
    {
        var visible = await tenants.VisibleContextsAsync(caller, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        return await VisibleNames(db, visible, prefix).GroupBy(c => c).Select(g => g.Key).OrderBy(c => c).Take(20).ToListAsync(ct);
    }

    public async Task<ContextView> ContextAsync(Caller caller, string context, string? extenPrefix, int page, int pageSize, CancellationToken ct)
    {
        await RequireVisibleAsync(caller, context, ct);
        // The owner comes from the portal's database, read meanwhile on a connection of its own.
        var owners = tenants.OwnersOfAsync([context], ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var extens = db.Extensions.AsNoTracking().Where(e => e.Context == context);
        if (!string.IsNullOrEmpty(extenPrefix))
        {
            extens = extens.Where(e => EF.Functions.Like(e.Exten, Prefix(extenPrefix)));
        }
        var names = extens.Select(e => e.Exten).Distinct();
        var count = await names.CountAsync(ct);
        // The page's extens and their steps in one query: a join with the page (MariaDB has no LIMIT inside IN).
        var pageExtens = extens.GroupBy(e => e.Exten).Select(g => g.Key).OrderBy(x => x).Skip(page * pageSize).Take(pageSize);
        var steps = await pageExtens
            .Join(db.Extensions.AsNoTracking().Where(e => e.Context == context), x => x, e => e.Exten, (_, e) => e)
            .OrderBy(e => e.Exten).ThenBy(e => e.Priority)
            .Select(e => new StepRow(e.Id, e.Context, e.Exten, e.Priority, e.App, e.Appdata))
            .ToListAsync(ct);
        var jumps = await GotoCheck.ProblemsAsync(db, steps.Select(s => s.ToRow()).ToList(), [], [], ct);
        // A flag row is known by its app: only the apps on this page are asked about, not every tenant key.
        var flagKeys = await tenants.KeysAmongAsync(steps.Select(s => s.App).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), ct);
        var family = await cluster.OldestAsync(ct);
        var extensions = steps
            .GroupBy(s => s.Exten)
            .Select(g => Extension(g.ToList(), flagKeys, family, jumps))
            .ToList();
        var exists = count > 0 || await db.Extensions.AnyAsync(e => e.Context == context, ct);
        return new ContextView(context, (await owners).GetValueOrDefault(context), exists, count, extensions);
    }

    public async Task<SearchPage> SearchAsync(Caller caller, SearchField field, string term, int page, int pageSize, CancellationToken ct)
    {
        var visible = await tenants.VisibleContextsAsync(caller, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = db.Extensions.AsNoTracking();
        if (visible is not null)
        {
            rows = rows.Where(e => visible.Contains(e.Context));
        }
        var like = Prefix(term);
        // Ordered by the searched column first, so the index that finds the rows also delivers them in order.
        var matches = field switch
        {
            SearchField.Exten => rows.Where(e => EF.Functions.Like(e.Exten, like)).OrderBy(e => e.Exten).ThenBy(e => e.Context).ThenBy(e => e.Priority),
            SearchField.App => rows.Where(e => EF.Functions.Like(e.App, like)).OrderBy(e => e.App).ThenBy(e => e.Context).ThenBy(e => e.Exten).ThenBy(e => e.Priority),
            _ => rows.Where(e => EF.Functions.Like(e.Appdata, like)).OrderBy(e => e.Appdata).ThenBy(e => e.Context).ThenBy(e => e.Exten).ThenBy(e => e.Priority),
        };
        var total = await matches.Take(SearchCountCap + 1).CountAsync(ct);
        var found = await matches.Skip(page * pageSize).Take(pageSize)
            .Select(e => new StepRow(e.Id, e.Context, e.Exten, e.Priority, e.App, e.Appdata))
            .ToListAsync(ct);
        return new SearchPage(found, Math.Min(total, SearchCountCap), total > SearchCountCap);
    }

    /// <summary>
    /// Which rows answer a dialed number in a context, priority by priority, as the realtime switch finds them:
    /// the rows it can consider (the exact exten and every pattern) read in its own order, ORDER BY exten under the
    /// table's collation.
    /// </summary>
    public async Task<Simulation> SimulateAsync(Caller caller, string context, string dialed, Version asteriskVersion, CancellationToken ct)
    {
        await RequireVisibleAsync(caller, context, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Extensions.AsNoTracking()
            .Where(e => e.Context == context && (e.Exten == dialed || EF.Functions.Like(e.Exten, PatternLike)))
            .OrderBy(e => e.Exten).ThenBy(e => e.Priority)
            .Select(e => new StepRow(e.Id, e.Context, e.Exten, e.Priority, e.App, e.Appdata))
            .ToListAsync(ct);
        var candidates = rows.Select((r, i) => (Row: r, Candidate: new SwitchCandidate(r.Exten, r.Priority, i))).ToList();
        var rowOf = candidates.ToDictionary(c => c.Candidate, c => c.Row);
        var steps = RealtimeSwitch.Run(candidates.Select(c => c.Candidate).ToList(), dialed, asteriskVersion)
            .Select(a => new SimulatedStep(rowOf[a.Answer!], a.Kind, a.AlsoMatching.Select(m => m.Exten).ToList()))
            .ToList();
        var patterns = RealtimeSwitch.PatternOrder(candidates.Select(c => c.Candidate), asteriskVersion)
            .Select(p => (p.Exten, Exten.Matches(p.Exten, dialed)))
            .ToList();
        var hasRows = rows.Count > 0 || await db.Extensions.AnyAsync(e => e.Context == context, ct);
        return new Simulation(hasRows, steps, patterns);
    }

    /// <summary>The context as extensions.conf text, extensions and priorities in order.</summary>
    public async Task<string> ExportAsync(Caller caller, string context, CancellationToken ct)
    {
        await RequireVisibleAsync(caller, context, ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var rows = await db.Extensions.AsNoTracking()
            .Where(e => e.Context == context)
            .OrderBy(e => e.Exten).ThenBy(e => e.Priority)
            .Select(e => new ExtensionRow(e.Context, e.Exten, e.Priority, e.App, e.Appdata))
            .ToListAsync(ct);
        // The rows carry the name as the database stored it; export under that spelling.
        return ExtensionsConf.Export(rows.Count > 0 ? rows[0].Context : context, rows);
    }

    public async Task<ContextImpact> ImpactAsync(Caller caller, string context, CancellationToken ct)
    {
        await RequireVisibleAsync(caller, context, ct);
        var owners = await tenants.OwnersOfAsync([context], ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var extensions = await db.Extensions.AsNoTracking()
            .Where(e => e.Context == context)
            .GroupBy(e => e.Exten)
            .OrderBy(g => g.Key)
            .Select(g => new { g.Key, Steps = g.Count() })
            .ToListAsync(ct);
        var peers = await db.SipPeers.AsNoTracking().Where(p => p.Context == context).OrderBy(p => p.Name).Select(p => p.Name).ToListAsync(ct);
        var mailboxes = await db.VoicemailBoxes.AnyAsync(v => v.Context == context, ct);
        // A scan of appdata, once per confirmation: a contains-search no index serves.
        var mentions = await db.Extensions.AsNoTracking()
            .Where(e => e.Context != context && EF.Functions.Like(e.Appdata, "%" + EscapeLike(context) + "%"))
            .OrderBy(e => e.Context).ThenBy(e => e.Exten).ThenBy(e => e.Priority)
            .Take(50)
            .Select(e => new StepRow(e.Id, e.Context, e.Exten, e.Priority, e.App, e.Appdata))
            .ToListAsync(ct);
        return new ContextImpact(context, extensions.Select(e => (e.Key, e.Steps)).ToList(), owners.GetValueOrDefault(context), mailboxes, peers, mentions);
    }

    /// <summary>The tenant keys: an app equal to one is that tenant's office-closed flag row.</summary>
    public Task<IReadOnlySet<string>> FlagKeysAsync(CancellationToken ct) => tenants.KeysAsync(ct);

    /// <summary>The cluster's oldest Asterisk family, which decides the applications and functions a step may call.</summary>
    public Task<AsteriskFamily> FamilyAsync(CancellationToken ct) => cluster.OldestAsync(ct);

    private IReadOnlyList<StepFinding> Findings(ExtensionRow row, IReadOnlySet<string> flagKeys, AsteriskFamily family, IReadOnlyDictionary<ExtensionRow, IReadOnlyList<string>> jumps) =>
        validator.Findings(row, flagKeys, family)
            .Concat(jumps.GetValueOrDefault(row, []).Select(p => new StepFinding(StepField.Appdata, Severity.Warning, p)))
            .ToList();

    /// <summary>An extension's steps with what the rules say: about the exten and context once, for the extension,
    /// and about the rest step by step.</summary>
    private ExtensionView Extension(IReadOnlyList<StepRow> steps, IReadOnlySet<string> flagKeys, AsteriskFamily family, IReadOnlyDictionary<ExtensionRow, IReadOnlyList<string>> jumps)
    {
        var findings = steps.Select(s => (Step: s, Findings: Findings(s.ToRow(), flagKeys, family, jumps))).ToList();
        static bool OfExtension(StepFinding f) => f.Field is StepField.Exten or StepField.Context;
        var first = steps[0];
        return new ExtensionView(
            first.Exten,
            findings.Select(s => new StepView(s.Step, s.Findings.Where(f => !OfExtension(f)).ToList())).ToList(),
            findings[0].Findings.Where(OfExtension).Select(f => new ExtensionFinding(first.Context, first.Exten, f.Severity, f.Message))
                .Concat(StepCheck.CheckExtensions(steps.Select(s => s.ToRow())))
                .ToList());
    }

    public static string Prefix(string text) => EscapeLike(text) + "%";

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static IQueryable<string> VisibleNames(AsteriskDb db, IReadOnlyList<string>? visible, string? prefix)
    {
        var rows = db.Extensions.AsNoTracking();
        if (visible is not null)
        {
            rows = rows.Where(e => visible.Contains(e.Context));
        }
        if (!string.IsNullOrEmpty(prefix))
        {
            rows = rows.Where(e => EF.Functions.Like(e.Context, Prefix(prefix)));
        }
        return rows.Select(e => e.Context);
    }

    private async Task RequireVisibleAsync(Caller caller, string context, CancellationToken ct)
    {
        var visible = await tenants.VisibleContextsAsync(caller, ct);
        if (visible is not null && !visible.Contains(context, StringComparer.OrdinalIgnoreCase))
        {
            throw await writer.DenyAsync(caller, "read dialplan", "extensions", context, ct);
        }
    }
}
