using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Portal.Asterisk.Sip;

/// <summary>A caller ID as the <c>callerid</c> column holds it: <c>"Name" &lt;1234&gt;</c>.</summary>
public sealed record CallerId(string Name, string Number)
{
    /// <summary>
    /// Reads the forms ast_callerid_parse (main/callerid.c) reads: <c>"Name" &lt;number&gt;</c>,
    /// <c>Name &lt;number&gt;</c>, <c>&lt;number&gt;</c>, a bare phone number, or a bare name. Unlike
    /// Asterisk, which also takes a missing '&gt;', it refuses an unclosed '&lt;', text after '&gt;' and
    /// an empty value, since a portal should store only what it can read back.
    /// </summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out CallerId? callerId)
    {
        callerId = null;
        var value = text.Trim();
        if (value.Length == 0)
        {
            return false;
        }

        var open = value.LastIndexOf('<');
        if (open >= 0)
        {
            var close = value.IndexOf('>', open);
            if (close < 0 || value[(close + 1)..].Trim().Length > 0)
            {
                return false;
            }

            callerId = new CallerId(Unquote(value[..open].Trim()), value[(open + 1)..close].Trim());
            return true;
        }

        // Without brackets Asterisk takes a value that is a phone number once shrunk (no spaces, dots,
        // dashes or parentheses) as the number, and anything else, or anything quoted, as the name.
        var shrunk = string.Concat(value.Where(c => c is not (' ' or '-' or '.' or '(' or ')')));
        callerId = !value.StartsWith('"') && IsPhoneNumber(shrunk)
            ? new CallerId("", shrunk)
            : new CallerId(Unquote(value), "");
        return true;
    }

    /// <summary>The column value: the name quoted, with its quotes and backslashes escaped.</summary>
    public override string ToString()
    {
        var name = Name.Length == 0 ? "" : $"\"{Name.Replace(@"\", @"\\").Replace("\"", "\\\"")}\"";
        return Number.Length == 0 ? name : $"{name} <{Number}>".TrimStart();
    }

    // ast_isphonenumber: digits, and *, #, + anywhere.
    private static bool IsPhoneNumber(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiDigit(c) || c is '*' or '#' or '+');

    private static string Unquote(string name)
    {
        if (name.Length < 2 || name[0] != '"' || name[^1] != '"')
        {
            return name;
        }

        var unescaped = new StringBuilder(name.Length);
        for (var i = 1; i < name.Length - 1; i++)
        {
            if (name[i] == '\\' && i + 1 < name.Length - 1)
            {
                i++;
            }

            unescaped.Append(name[i]);
        }

        return unescaped.ToString();
    }
}
