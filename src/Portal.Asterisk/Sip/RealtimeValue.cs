using System.Globalization;
using System.Text;

namespace Portal.Asterisk.Sip;

/// <summary>
/// The ^XX escapes of realtime values. The realtime drivers split every stored value at ';' into
/// several values, so whatever Asterisk writes (chan_sip's fullcontact, for one) has ';' and '^' stored
/// as ^3B and ^5E (ast_realtime_encode_chunk in main/config.c), and reading turns any ^ with two hex
/// digits back into its character (ast_realtime_decode_chunk).
/// </summary>
public static class RealtimeValue
{
    public static string Encode(string value)
    {
        var stored = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is ';' or '^')
            {
                stored.Append('^').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                stored.Append(c);
            }
        }

        return stored.ToString();
    }

    /// <summary>
    /// The one rule for a value the portal stores in any realtime column: Asterisk must read it back as typed. A
    /// <c>^</c> followed by two hex digits is an escape to res_config_mysql (<c>^41</c> reads as <c>A</c>), so such a
    /// value is refused with what Asterisk would read instead; a <c>^</c> without them reads as itself. Appdata is the
    /// exception: there <c>^3B</c> is how a step holds a <c>;</c>, and the editor shows the decoded text it runs.
    /// Null when Asterisk reads the value as typed.
    /// </summary>
    public static string? ReadBackProblem(string value)
    {
        var at = Enumerable.Range(0, value.Length).FirstOrDefault(i => IsEscape(value, i), -1);
        if (at < 0)
        {
            return null;
        }

        var escape = value.Substring(at, 3);
        return $"Asterisk's MySQL driver reads {escape} as '{Decode(escape)}', so the node would get '{Decode(value)}'; " +
            "a ^ followed by two hex digits cannot be stored as typed: write it another way.";
    }

    /// <summary>Decodes in one pass left to right, as Asterisk does: a decoded '^' does not start another
    /// escape, so Decode(Encode(x)) is x. A plain ';' is left as it is: the driver splits there.</summary>
    public static string Decode(string stored)
    {
        var value = new StringBuilder(stored.Length);
        for (var i = 0; i < stored.Length; i++)
        {
            if (IsEscape(stored, i))
            {
                value.Append((char)int.Parse(stored.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                value.Append(stored[i]);
            }
        }

        return value.ToString();
    }

    /// <summary>A ^ and two hex digits at i: what ast_realtime_decode_chunk turns into one character.</summary>
    private static bool IsEscape(string text, int i) =>
        text[i] == '^' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]);
}
