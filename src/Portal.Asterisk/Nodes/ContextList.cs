using System.Text;

namespace Portal.Asterisk.Nodes;

/// <summary>The context list of the database, as the generated extensions.conf and its fingerprint see it.</summary>
public static class ContextList
{
    /// <summary>Distinct and in ordinal order, so the same contexts always give the same file and fingerprint.</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> contexts) =>
        contexts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>A short, stable digest of the context list: equal lists, equal fingerprints.</summary>
    public static string Fingerprint(IEnumerable<string> contexts) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", Normalize(contexts)))));

    /// <summary>Why a context cannot be a section of extensions.conf, or null when it can.</summary>
    public static string? Unwritable(string context)
    {
        if (context.Length == 0 || context.Trim() != context)
        {
            return "empty, or with spaces around it";
        }
        if (context.IndexOfAny(['[', ']', ';']) >= 0 || ControlCharacters.IndexIn(context) >= 0)
        {
            return "a '[', ']', ';', line break or other control character cannot appear in a section name";
        }
        if (Dialplan.ContextName.IsSettingsSection(context))
        {
            return $"[{context}] is a settings section of extensions.conf, not a context";
        }
        return null;
    }
}
