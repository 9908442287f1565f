namespace Portal.Asterisk;

/// <summary>
/// Control characters (C0, DEL and C1: CR, LF, NUL, TAB...) in a stored value. No column Asterisk reads takes one: a
/// realtime value is one line of a config (a CR or LF splits the line of the extensions.conf export or a generated node
/// file, an email header, a CSV row), a NUL ends the C string Asterisk copies it into, and a TAB is whitespace that
/// the config parser strips where the database keeps it.
/// </summary>
public static class ControlCharacters
{
    /// <summary>The position of the first control character, or -1.</summary>
    public static int IndexIn(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsControl(value[i]))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>What is wrong with the value, or null when it holds no control character.</summary>
    public static string? Problem(string? value) =>
        value is not null && IndexIn(value) is var i and >= 0
            ? $"holds {Name(value[i])} at {i + 1}: a stored value is one line of text, without control characters"
            : null;

    private static string Name(char c) => c switch
    {
        '\n' => "a line break (LF)",
        '\r' => "a line break (CR)",
        '\t' => "a TAB",
        '\0' => "a NUL character",
        _ => $"a control character (U+{(int)c:X4})",
    };
}
