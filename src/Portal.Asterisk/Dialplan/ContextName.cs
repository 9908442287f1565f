namespace Portal.Asterisk.Dialplan;

/// <summary>
/// The name of a dialplan context, as the <c>context</c> column holds it and a node's extensions.conf must
/// name it in <c>[context]</c> for its <c>switch => Realtime/@</c>.
/// </summary>
public static class ContextName
{
    /// <summary>AST_MAX_CONTEXT: Asterisk cuts longer context names.</summary>
    public const int MaxLength = 80;

    // Sections of extensions.conf that are settings, not contexts.
    private static readonly string[] SettingsSections = ["general", "globals"];

    public static bool IsSettingsSection(string name) => SettingsSections.Contains(name, StringComparer.OrdinalIgnoreCase);

    /// <summary>What is wrong with a context name; empty when it can be used.</summary>
    public static IReadOnlyList<string> Validate(string name)
    {
        if (name.Length == 0)
        {
            return ["a context needs a name"];
        }

        var problems = new List<string>();
        if (name.Length > MaxLength)
        {
            problems.Add($"Asterisk keeps at most {MaxLength} characters of a context name");
        }

        if (IsSettingsSection(name))
        {
            problems.Add($"[{name}] is a settings section of extensions.conf, so no node can switch it to realtime");
        }

        // '@' separates exten@context in Dial and VoiceMail, '|' and ',' separate Goto's context|exten|priority,
        // and '[' or ']' would end the node's [context] line: only these characters are safe everywhere.
        var bad = name.Where(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_')).Distinct().ToList();
        if (bad.Count > 0)
        {
            problems.Add($"'{string.Join("', '", bad)}' cannot be part of a context name: use letters, digits, '-' and '_'");
        }

        return problems;
    }
}
