using Microsoft.EntityFrameworkCore;
using Portal.Asterisk.Dialplan;
using Portal.Web.Data;

namespace Portal.Web.Features.Dialplan;

/// <summary>
/// Checks where Goto, GotoIf and GotoIfTime steps jump, against the table as it will be after a write: a missing
/// context or step is a warning, since the context may live in a node's extensions.conf.
/// </summary>
public static class GotoCheck
{
    /// <param name="pending">Rows about to be written; they stand for their extensions in the table.</param>
    /// <param name="replaced">Contexts whose rows in the table are about to go (an import that replaces them).</param>
    public static async Task<IReadOnlyDictionary<ExtensionRow, IReadOnlyList<string>>> ProblemsAsync(
        AsteriskDb db, IReadOnlyCollection<ExtensionRow> rows, IReadOnlyCollection<ExtensionRow> pending, IReadOnlyCollection<string> replaced, CancellationToken ct)
    {
        var targets = rows.SelectMany(r => GotoTargets.Of(r).Select(t => (Row: r, Target: t))).ToList();
        var candidates = new Dictionary<string, IReadOnlyCollection<SwitchCandidate>?>(StringComparer.OrdinalIgnoreCase);
        foreach (var context in targets.Select(t => t.Target.Context).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var mine = pending.Where(p => Same(p.Context, context)).ToList();
            var table = replaced.Contains(context, StringComparer.OrdinalIgnoreCase)
                ? []
                : await FromTableAsync(db, context, targets.Where(t => Same(t.Target.Context, context)).Select(t => t.Target.Exten).Distinct().ToList(), ct);
            var all = (table ?? []).Where(r => !mine.Any(p => Same(p.Exten, r.Exten))).Concat(mine.Select(p => (p.Exten, p.Priority))).ToList();
            candidates[context] = table is null && mine.Count == 0 ? null : all.Select((r, i) => new SwitchCandidate(r.Exten, r.Priority, i)).ToList();
        }

        return targets
            .Select(t => (t.Row, Problem: GotoTargets.Problem(t.Target, candidates[t.Target.Context])))
            .Where(t => t.Problem is not null)
            .GroupBy(t => t.Row)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(t => $"{t.Row.App} target: {t.Problem}").ToList());
    }

    /// <summary>
    /// The rows the realtime switch may consider for these extens: the extens themselves and every pattern; null
    /// when the context has no rows at all. Numbered in the order given: only whether some row answers is asked
    /// here, and that does not depend on the order the switch tries patterns in.
    /// </summary>
    private static async Task<List<(string Exten, int Priority)>?> FromTableAsync(AsteriskDb db, string context, IReadOnlyList<string> extens, CancellationToken ct)
    {
        var rows = await db.Extensions.AsNoTracking()
            .Where(e => e.Context == context && (extens.Contains(e.Exten) || EF.Functions.Like(e.Exten, DialplanQueries.PatternLike)))
            .Select(e => new { e.Exten, e.Priority })
            .ToListAsync(ct);
        if (rows.Count == 0 && !await db.Extensions.AnyAsync(e => e.Context == context, ct))
        {
            return null;
        }
        return rows.Select(r => (r.Exten, r.Priority)).ToList();
    }

    // The database compares context and exten without case.
    private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
}
