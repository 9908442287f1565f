namespace Portal.Asterisk.Sip;

/// <summary>
/// The values chan_sip accepts in the columns of the realtime <c>sippeers</c> table (as in sip.conf;
/// chan_sip compares them case-insensitively). A comma inside a value such as <c>force_rport,comedia</c>
/// is fine: the sip table is not appdata and chan_sip splits these lists itself. A ';' is not: the
/// realtime driver would split the value into two settings and chan_sip would keep only the last.
/// </summary>
public static class SipPeerOptions
{
    public static IReadOnlyList<string> Types { get; } = ["friend", "peer", "user"];

    /// <summary>yes, no, never and route are the classic settings and stand alone; force_rport and
    /// comedia (1.8 on) and their auto_ forms (later versions) combine with commas.</summary>
    public static IReadOnlyList<string> Nat { get; } =
        ["no", "yes", "never", "route", "force_rport", "comedia", "force_rport,comedia",
            "auto_force_rport", "auto_comedia", "auto_force_rport,auto_comedia"];

    public static IReadOnlyList<string> DtmfModes { get; } = ["rfc2833", "info", "shortinfo", "inband", "auto"];

    /// <summary>canreinvite, and directmedia, its name since 1.6.2 (the old name is still read).</summary>
    public static IReadOnlyList<string> DirectMedia { get; } = ["yes", "no", "nonat", "update", "update,nonat"];

    /// <summary>Besides these, qualify takes the longest round trip in milliseconds.</summary>
    public static IReadOnlyList<string> Qualify { get; } = ["yes", "no"];

    /// <summary>very is the 1.2 spelling of port,invite, deprecated since 1.4.</summary>
    public static IReadOnlyList<string> Insecure { get; } = ["no", "port", "invite", "port,invite", "very"];

    public static bool IsValidType(string value) => Contains(Types, value);

    public static bool IsValidNat(string value) =>
        IsValidList(value, alone: ["yes", "no", "never", "route"],
            combinable: ["force_rport", "comedia", "auto_force_rport", "auto_comedia"]);

    public static bool IsValidDtmfMode(string value) => Contains(DtmfModes, value);

    public static bool IsValidDirectMedia(string value) =>
        IsValidList(value, alone: ["yes", "no"], combinable: ["nonat", "update"]);

    public static bool IsValidQualify(string value) =>
        Contains(Qualify, value) || (int.TryParse(value, out var milliseconds) && milliseconds > 0 && value.All(char.IsAsciiDigit));

    public static bool IsValidInsecure(string value) =>
        IsValidList(value, alone: ["no", "very"], combinable: ["port", "invite"]);

    /// <summary>A value that stands alone, or a comma list of distinct combinable words in any order.</summary>
    private static bool IsValidList(string value, string[] alone, string[] combinable)
    {
        var words = value.Split(',', StringSplitOptions.TrimEntries);
        if (words.Length == 1 && Contains(alone, words[0]))
        {
            return true;
        }

        return words.All(w => Contains(combinable, w))
            && words.Distinct(StringComparer.OrdinalIgnoreCase).Count() == words.Length;
    }

    private static bool Contains(IEnumerable<string> values, string value) =>
        values.Contains(value, StringComparer.OrdinalIgnoreCase);
}
