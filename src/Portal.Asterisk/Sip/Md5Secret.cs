using System.Security.Cryptography;
using System.Text;

namespace Portal.Asterisk.Sip;

/// <summary>
/// chan_sip's <c>md5secret</c>: the digest HA1, MD5 of <c>name:realm:secret</c> in lowercase hex, so
/// the database never holds the plain secret. The realm must be the one chan_sip answers with.
/// </summary>
public static class Md5Secret
{
    /// <summary>chan_sip's realm unless sip.conf sets realm=.</summary>
    public const string DefaultRealm = "asterisk";

    public static string Compute(string name, string realm, string secret) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{name}:{realm}:{secret}")));
}
