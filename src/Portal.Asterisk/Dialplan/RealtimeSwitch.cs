namespace Portal.Asterisk.Dialplan;

/// <summary>One row of the context as the realtime switch sees it.</summary>
/// <param name="DatabaseOrder">
/// Where the row comes in the result of the switch's pattern query. res_config_mysql, odbc and pgsql
/// append <c>ORDER BY</c> on the first field they are given, which is <c>exten</c> here
/// (realtime_multi_mysql in addons/res_config_mysql.c), so to mirror Asterisk read the rows with
/// <c>ORDER BY exten</c> under the table's collation and number them in that order.
/// </param>
public sealed record SwitchCandidate(string Exten, int Priority, int DatabaseOrder);

public enum SwitchMatchKind
{
    None,
    Exact,
    Pattern,
}

/// <param name="Answer">The row Asterisk runs, or null when the switch finds none.</param>
/// <param name="AlsoMatching">The other patterns that match the number, in the order Asterisk tries
/// them: overlaps the answer hides.</param>
public sealed record SwitchAnswer(SwitchCandidate? Answer, SwitchMatchKind Kind, IReadOnlyList<SwitchCandidate> AlsoMatching);

/// <summary>
/// Which row of a context <c>switch => Realtime/...</c> runs for a dialed number, as
/// realtime_switch_common in pbx/pbx_realtime.c does it: first the exact row
/// (<c>exten = number AND context AND priority</c>); only when there is none, the pattern rows
/// (<c>exten LIKE '\_%'</c>), tried one by one with ast_extension_match until one matches.
/// </summary>
public static class RealtimeSwitch
{
    /// <summary>
    /// From 13.15 on, pbx_realtime sorts the pattern rows by the length of the exten string, longest first
    /// (ast_config_sort_categories with extension_length_comparator; a stable merge sort in main/config.c,
    /// so rows of equal length keep the database order). Before, it tried them in database order.
    /// </summary>
    public static Version LongestPatternFirstSince { get; } = new(13, 15);

    /// <summary>The row that answers <paramref name="dialed"/> at <paramref name="priority"/>. Asterisk
    /// looks every priority up on its own, so a later priority can come from another pattern.</summary>
    public static SwitchAnswer Lookup(
        IEnumerable<SwitchCandidate> rows, string dialed, Version asteriskVersion, int priority = 1)
    {
        // The exact lookup is SQL equality, which MariaDB's default collations make case-insensitive.
        var exact = rows
            .Where(r => r.Priority == priority)
            .OrderBy(r => r.DatabaseOrder)
            .FirstOrDefault(r => string.Equals(r.Exten, dialed, StringComparison.OrdinalIgnoreCase));

        var matching = PatternOrder(rows, asteriskVersion, priority).Where(r => r != exact && Exten.Matches(r.Exten, dialed)).ToList();
        if (exact is not null)
        {
            return new SwitchAnswer(exact, SwitchMatchKind.Exact, matching);
        }

        return matching.Count == 0
            ? new SwitchAnswer(null, SwitchMatchKind.None, [])
            : new SwitchAnswer(matching[0], SwitchMatchKind.Pattern, matching.Skip(1).ToList());
    }

    /// <summary>The pattern rows at a priority in the order the switch tries them.</summary>
    public static IReadOnlyList<SwitchCandidate> PatternOrder(IEnumerable<SwitchCandidate> rows, Version asteriskVersion, int priority = 1)
    {
        var patterns = rows
            .Where(r => r.Priority == priority && Exten.IsPattern(r.Exten))
            .OrderBy(r => r.DatabaseOrder)
            .ToList();
        // OrderByDescending is a stable sort, as Asterisk's merge sort is: equal lengths keep the database order.
        return asteriskVersion >= LongestPatternFirstSince ? patterns.OrderByDescending(r => r.Exten.Length).ToList() : patterns;
    }

    /// <summary>
    /// The steps a call to <paramref name="dialed"/> runs when no step jumps: priority 1, 2, ... each looked up
    /// on its own, until a priority finds no row (Asterisk then ends the call). Each answer can come from another
    /// row than the one before when patterns overlap.
    /// </summary>
    public static IReadOnlyList<SwitchAnswer> Run(IReadOnlyCollection<SwitchCandidate> rows, string dialed, Version asteriskVersion)
    {
        var steps = new List<SwitchAnswer>();
        for (var priority = 1; priority <= ExtensionRow.MaxPriority; priority++)
        {
            var answer = Lookup(rows, dialed, asteriskVersion, priority);
            if (answer.Answer is null)
            {
                break;
            }

            steps.Add(answer);
        }

        return steps;
    }
}
