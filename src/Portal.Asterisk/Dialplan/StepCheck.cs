using Portal.Asterisk.Nodes;

namespace Portal.Asterisk.Dialplan;

/// <summary>The column of a step a finding is about.</summary>
public enum StepField
{
    Context,
    Exten,
    Priority,
    App,
    Appdata,
}

public sealed record StepFinding(StepField Field, Severity Severity, string Message);

/// <summary>A finding about an extension as a whole: its priorities together.</summary>
public sealed record ExtensionFinding(string Context, string Exten, Severity Severity, string Message);

/// <summary>
/// The rules of a step (one row of <c>extensions</c>) and of an extension (its steps together), the same for
/// the editor, every write and every import. Column lengths are not checked here: they belong to the connected
/// database, not to Asterisk.
/// </summary>
public static class StepCheck
{
    /// <param name="flagKeys">Keys of the office-closed flag rows (tenant keys): an app of that name is a flag
    /// row that RealTime() and RealTimeUpdate() find by its app value, not an application.</param>
    /// <param name="family">The cluster's oldest Asterisk family: a step calling an application or function it
    /// lacks is an error, since the node only logs it at call time. Null where the cluster is not known.</param>
    public static IReadOnlyList<StepFinding> Check(ExtensionRow row, IReadOnlySet<string> flagKeys, AsteriskFamily? family = null)
    {
        var findings = new List<StepFinding>();
        findings.AddRange(ContextName.Validate(row.Context).Select(m => new StepFinding(StepField.Context, Severity.Error, m)));
        findings.AddRange(Exten.Validate(row.Exten).Select(p => new StepFinding(StepField.Exten, p.Severity, p.Message)));
        if (row.Priority is < 1 or > ExtensionRow.MaxPriority)
        {
            findings.Add(new StepFinding(StepField.Priority, Severity.Error,
                $"a priority goes from 1 to {ExtensionRow.MaxPriority} (the column is a tinyint)"));
        }

        foreach (var (field, value) in new[] { (StepField.Exten, row.Exten), (StepField.App, row.App), (StepField.Appdata, row.Appdata) })
        {
            if (ControlCharacters.Problem(value) is { } problem)
            {
                findings.Add(new StepFinding(field, Severity.Error, problem));
            }
        }

        findings.AddRange(CheckApp(row.App, flagKeys));
        if (family is not null && FlagKey(row.App, flagKeys) is null)
        {
            findings.AddRange(ApplicationCatalog.MissingIn(family, row.App, row.Appdata)
                .Select(m => new StepFinding(StepField.App, Severity.Error, m)));
        }

        if (Sip.RealtimeValue.Decode(row.Appdata) is var decoded && decoded != row.Appdata)
        {
            findings.Add(new StepFinding(StepField.Appdata, Severity.Warning,
                $"Asterisk's MySQL driver decodes every ^ with two hex digits, so the node reads '{decoded}' " +
                "(^3B is the way to store a ';'; a ^ meant as itself needs other wording)"));
        }

        findings.AddRange(PipeRule.Check(row.Appdata)
            .Where(p => p.Kind != AppdataProblemKind.TooLong)
            .Select(p => new StepFinding(StepField.Appdata, p.Severity, $"at {p.Position + 1}: {p.Message}")));
        return findings;
    }

    /// <summary>Whether the app names an office-closed flag row rather than an application.</summary>
    public static string? FlagKey(string app, IReadOnlySet<string> flagKeys) =>
        flagKeys.FirstOrDefault(k => string.Equals(k, app, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Each extension's priorities together: priority 1 present (Asterisk starts every call there), no priority
    /// twice (the table's key is context, exten, priority; compared without case, as the database does), and no
    /// gap (Asterisk stops at a missing priority, so the steps after it run only when a Goto jumps there).
    /// </summary>
    public static IReadOnlyList<ExtensionFinding> CheckExtensions(IEnumerable<ExtensionRow> rows)
    {
        var findings = new List<ExtensionFinding>();
        var extensions = rows.GroupBy(r => (Context: r.Context.ToLowerInvariant(), Exten: r.Exten.ToLowerInvariant()));
        foreach (var extension in extensions)
        {
            var first = extension.First();
            var priorities = extension.Select(r => r.Priority).Order().ToList();
            foreach (var twice in priorities.GroupBy(p => p).Where(g => g.Count() > 1))
            {
                findings.Add(new ExtensionFinding(first.Context, first.Exten, Severity.Error,
                    $"priority {twice.Key} of {first.Exten} is there {twice.Count()} times; the table's key allows it once"));
            }

            if (priorities[0] != 1)
            {
                findings.Add(new ExtensionFinding(first.Context, first.Exten, Severity.Error,
                    $"{first.Exten} has no priority 1: Asterisk starts every call at 1, so its steps never run"));
                continue;
            }

            var distinct = priorities.Distinct().ToList();
            for (var i = 1; i < distinct.Count; i++)
            {
                if (distinct[i] != distinct[i - 1] + 1)
                {
                    findings.Add(new ExtensionFinding(first.Context, first.Exten, Severity.Warning,
                        $"{first.Exten} has no priority {distinct[i - 1] + 1}: a call stops after {distinct[i - 1]}, " +
                        $"so priority {distinct[i]} and later run only when a Goto jumps there; renumber to close the gap"));
                    break;
                }
            }
        }

        return findings;
    }

    private static IEnumerable<StepFinding> CheckApp(string app, IReadOnlySet<string> flagKeys)
    {
        if (app.Length == 0)
        {
            yield return new StepFinding(StepField.App, Severity.Error, "a step needs an application");
            yield break;
        }

        if (!app.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            yield return new StepFinding(StepField.App, Severity.Error,
                $"'{app}' is not an application name: letters, digits and '_' (and '-' in a flag row's tenant key)");
            yield break;
        }

        if (FlagKey(app, flagKeys) is { } key)
        {
            yield return new StepFinding(StepField.App, Severity.Info,
                $"the office-closed flag row of tenant {key}: RealTime() and RealTimeUpdate() find it by app = {key}, " +
                "and it is never run as a step");
        }
        else if (ApplicationCatalog.Unknown(app) is { } unknown)
        {
            yield return new StepFinding(StepField.App, Severity.Warning, unknown);
        }
    }
}
