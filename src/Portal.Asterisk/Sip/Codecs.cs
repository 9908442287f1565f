namespace Portal.Asterisk.Sip;

/// <summary>
/// The codec lists of the <c>allow</c> and <c>disallow</c> columns. The classic value is
/// <c>gsm;ulaw;alaw</c>: the realtime driver splits at ';' into one allow= setting per codec, which is
/// what chan_sip would read from sip.conf lines.
/// </summary>
public static class Codecs
{
    /// <summary>Codec names of Asterisk 1.2-11 (opus and vp8 only with later versions or add-ons), and
    /// all, which allow and disallow both take.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "all", "ulaw", "alaw", "gsm", "g729", "g722", "g723", "g726", "g726aal2", "ilbc", "speex", "speex16",
        "speex32", "lpc10", "adpcm", "slin", "slin16", "g719", "siren7", "siren14", "testlaw", "opus",
        "h261", "h263", "h263p", "h264", "mpeg4", "vp8", "jpeg", "png", "t140", "red",
    ];

    public static bool IsKnown(string codec) => Names.Contains(codec, StringComparer.OrdinalIgnoreCase);

    /// <summary>The codecs in order, lowercased. chan_sip also splits one setting at commas, so
    /// <c>ulaw,alaw</c> is read too.</summary>
    public static IReadOnlyList<string> Parse(string value) =>
        value.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.ToLowerInvariant())
            .ToList();

    public static string Format(IEnumerable<string> codecs) => string.Join(';', codecs);
}
