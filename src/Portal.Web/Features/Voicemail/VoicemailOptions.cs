namespace Portal.Web.Features.Voicemail;

/// <summary>Bound from "Voicemail".</summary>
public sealed class VoicemailOptions
{
    public const string Section = "Voicemail";

    /// <summary>The zone names of voicemail.conf's [zonemessages] in the classic sample, used when none are configured.</summary>
    public static readonly IReadOnlyList<string> ClassicZones = ["eastern", "central", "central24", "military", "european"];

    /// <summary>
    /// The [zonemessages] names the Asterisk nodes know: <c>tz</c> must name one of them, or app_voicemail falls back
    /// to the server's time. Configure them as the nodes' voicemail.conf has them (Voicemail:TimeZones:0, ...).
    /// </summary>
    public List<string> TimeZones { get; set; } = [];

    public IReadOnlyList<string> Zones => TimeZones.Count > 0 ? TimeZones : ClassicZones;

    /// <summary>The tz of a new mailbox: the classic column default, when the nodes know it.</summary>
    public string DefaultZone => Zones.Contains("central") ? "central" : Zones[0];
}
