namespace Portal.Asterisk.Dialplan;

/// <param name="Priority">As written: a number, or a label, which the realtime table cannot have.</param>
public sealed record GotoTarget(string Context, string Exten, string Priority);

/// <summary>
/// Where <c>Goto</c>, <c>GotoIf</c> and <c>GotoIfTime</c> jump: <c>[[context|]exten|]priority</c>, for GotoIf and
/// GotoIfTime after the <c>?</c> as <c>[iftrue][:iffalse]</c>. A target computed at run time (with a
/// <c>${variable}</c>) cannot be checked and is left out.
/// </summary>
public static class GotoTargets
{
    public static IReadOnlyList<GotoTarget> Of(ExtensionRow row)
    {
        var app = row.App.Trim();
        if (app.Equals("Goto", StringComparison.OrdinalIgnoreCase))
        {
            return Label(row.Appdata, row) is { } target ? [target] : [];
        }

        if (!app.Equals("GotoIf", StringComparison.OrdinalIgnoreCase) && !app.Equals("GotoIfTime", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        // The condition and the time spec end at the first '?' that is not inside ${ } or $[ ]: Asterisk
        // substitutes those before the application looks for it.
        var question = TopLevelIndexOf(row.Appdata, '?', 0);
        if (question < 0)
        {
            return [];
        }

        var colon = TopLevelIndexOf(row.Appdata, ':', question + 1);
        var branches = colon < 0
            ? [row.Appdata[(question + 1)..]]
            : new[] { row.Appdata[(question + 1)..colon], row.Appdata[(colon + 1)..] };
        return branches.Select(b => Label(b, row)).OfType<GotoTarget>().ToList();
    }

    /// <summary>
    /// What is wrong with a target, given the rows of its context in database order, or null for a context that
    /// has no rows; null when Asterisk finds the step (an exact exten or a pattern that matches it).
    /// </summary>
    public static string? Problem(GotoTarget target, IReadOnlyCollection<SwitchCandidate>? rowsOfContext)
    {
        if (rowsOfContext is null)
        {
            return $"context {target.Context} has no rows in the extensions table (it may exist only in a node's extensions.conf)";
        }

        if (!int.TryParse(target.Priority, out var priority))
        {
            return $"'{target.Priority}' is a label, and realtime rows have no labels: Asterisk cannot find it; jump to a priority number";
        }

        // Whether some row answers does not depend on the order a version tries patterns in; any version will do.
        var answer = RealtimeSwitch.Lookup(rowsOfContext, target.Exten, RealtimeSwitch.LongestPatternFirstSince, priority);
        return answer.Answer is null
            ? $"{target.Context} has no step {target.Exten}, priority {priority}: no exten or pattern there answers it"
            : null;
    }

    private static GotoTarget? Label(string label, ExtensionRow row)
    {
        if (label.Trim().Length == 0 || label.Contains('$'))
        {
            return null;
        }

        var parts = AppdataArguments.Split(label).Select(p => p.Trim()).ToList();
        if (parts.Any(p => p.Length == 0))
        {
            return null;
        }

        return parts.Count switch
        {
            1 => new GotoTarget(row.Context, row.Exten, parts[0]),
            2 => new GotoTarget(row.Context, parts[0], parts[1]),
            3 => new GotoTarget(parts[0], parts[1], parts[2]),
            _ => null,
        };
    }

    private static int TopLevelIndexOf(string text, char wanted, int start)
    {
        var braces = 0;
        var brackets = 0;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            var afterDollar = i > 0 && text[i - 1] == '$';
            if (c == '{' && afterDollar)
            {
                braces++;
            }
            else if (c == '[' && afterDollar)
            {
                brackets++;
            }
            else if (c == '}' && braces > 0)
            {
                braces--;
            }
            else if (c == ']' && brackets > 0)
            {
                brackets--;
            }
            else if (c == wanted && braces == 0 && brackets == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
