namespace Portal.Web.Features.SipPeers;

/// <summary>A row of the realtime <c>sip</c> table: one SIP peer (or user, or friend) as chan_sip reads it.</summary>
public sealed class SipPeer
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string? Accountcode { get; set; }
    public string? Amaflags { get; set; }
    public string? Callgroup { get; set; }
    public string? Callerid { get; set; }
    public string? Canreinvite { get; set; }
    public string? Context { get; set; }
    public string? Defaultip { get; set; }
    public string? Dtmfmode { get; set; }
    public string? Fromuser { get; set; }
    public string? Fromdomain { get; set; }
    public string Host { get; set; } = "";
    public string? Insecure { get; set; }
    public string? Language { get; set; }
    public string? Mailbox { get; set; }
    public string? Md5secret { get; set; }
    public string Nat { get; set; } = "no";
    public string? Deny { get; set; }
    public string? Permit { get; set; }
    public string? Mask { get; set; }
    public string? Pickupgroup { get; set; }
    public string? Qualify { get; set; }
    public string? Restrictcid { get; set; }
    public string? Rtptimeout { get; set; }
    public string? Rtpholdtimeout { get; set; }
    public string? Secret { get; set; }
    public string Type { get; set; } = "friend";
    public string? Disallow { get; set; }
    public string? Allow { get; set; }
    public string? Musiconhold { get; set; }
    public string Regexten { get; set; } = "";
    public string? Cancallforward { get; set; }

    // Registration columns: chan_sip writes these when a phone registers. The portal shows them and never
    // writes them back (see RegistrationColumns).
    public string Ipaddr { get; set; } = "";
    public string Port { get; set; } = "";
    public int Regseconds { get; set; }
    public string? Fullcontact { get; set; }
    public string? Useragent { get; set; }
    public int Lastms { get; set; }
    public string? Regserver { get; set; }
    public string Defaultuser { get; set; } = "";
    public string Username { get; set; } = "";

    /// <summary>The columns Asterisk itself writes on registration; no portal write may put stale values back.</summary>
    public static readonly IReadOnlySet<string> RegistrationColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "ipaddr", "port", "regseconds", "fullcontact", "useragent", "lastms", "regserver", "defaultuser", "username",
    };
}
