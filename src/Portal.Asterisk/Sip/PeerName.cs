using System.Buffers;

namespace Portal.Asterisk.Sip;

/// <summary>
/// The rule for a peer's <c>name</c>: letters, digits, '_', '.' and '-', from 1 to 80 characters. The
/// name is the SIP user of REGISTER and of the digest (so part of md5secret) and the resource of
/// Dial(SIP/name), where '/', '@', ':', '&amp;' and spaces would be read as syntax.
/// </summary>
public static class PeerName
{
    public const int MaxLength = 80;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

    /// <summary>Null when the name is fine, else why not.</summary>
    public static string? Check(string name)
    {
        if (name.Length == 0)
        {
            return "a peer needs a name";
        }

        if (name.Length > MaxLength)
        {
            return $"a peer name has at most {MaxLength} characters";
        }

        var bad = name.IndexOfAnyExcept(Allowed);
        return bad < 0 ? null : $"'{name[bad]}' cannot be in a peer name: use letters, digits, _ . and -";
    }

    public static bool IsValid(string name) => Check(name) is null;
}
