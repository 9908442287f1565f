using Portal.Asterisk.Sip;

namespace Portal.Web.Features.SipPeers;

/// <summary>How the registration columns read to an operator. The values are chan_sip's, decoded from ^3B.</summary>
public static class Registration
{
    /// <summary>regseconds is the Unix time the registration expires; 0: the peer never registered.</summary>
    public static string Expiry(int regseconds, long now)
    {
        if (regseconds == 0)
        {
            return "never registered";
        }
        var left = regseconds - now;
        return left > 0 ? "expires in " + Span(left) : "expired " + Span(-left) + " ago";
    }

    public static RegistrationState State(int regseconds, long now) =>
        regseconds == 0 ? RegistrationState.Never : regseconds > now ? RegistrationState.Registered : RegistrationState.Expired;

    /// <summary>ipaddr:port, with an IPv6 address in brackets.</summary>
    public static string Address(string ipaddr, string port) =>
        ipaddr.Length == 0 ? "" : (ipaddr.Contains(':') ? $"[{ipaddr}]" : ipaddr) + (port.Length > 0 ? ":" + port : "");

    /// <summary>lastms is qualify's last round trip: -1 when the peer stopped answering, 0 when not qualified.</summary>
    public static string Latency(int lastms) => lastms switch
    {
        < 0 => "unreachable",
        0 => "",
        _ => lastms + " ms",
    };

    public static string Decoded(string? stored) => stored is null ? "" : RealtimeValue.Decode(stored);

    private static string Span(long seconds) => seconds switch
    {
        < 60 => $"{seconds} s",
        < 3600 => $"{seconds / 60} min",
        < 86400 => $"{seconds / 3600} h {seconds % 3600 / 60} min",
        _ => $"{seconds / 86400} d",
    };
}
