using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using FluentValidation;
using Portal.Asterisk.Sip;
using Portal.Web.Components.Shared;
using Portal.Web.Data;

namespace Portal.Web.Features.SipPeers;

/// <summary>The digest realm chan_sip answers with (sip.conf <c>realm=</c>); md5secret is computed with it. Bound from "SipPeers".</summary>
public sealed class SipDigestOptions
{
    public const string Section = "SipPeers";

    [System.ComponentModel.DataAnnotations.Required]
    public string Realm { get; set; } = Md5Secret.DefaultRealm;
}

/// <summary>
/// The edit model of a peer: the columns an operator sets. The registration columns are not here: Asterisk writes
/// them, and a form that carried them would put a stale address back. Column names double as CSV headers.
/// </summary>
public sealed class SipPeerForm
{
    /// <summary>The columns this form writes; their values when a form was opened are compared on save.</summary>
    public static readonly IReadOnlyList<string> EditedColumns =
    [
        "name", "type", "host", "context", "callerid", "secret", "md5secret", "accountcode", "nat", "dtmfmode", "canreinvite",
        "qualify", "insecure", "mailbox", "deny", "permit", "language", "callgroup", "pickupgroup", "disallow", "allow",
    ];

    public string Name { get; set; } = "";

    /// <summary>The stored name when editing ("" for a new peer): md5secret hashes the name, so a rename needs the secret.</summary>
    public string OriginalName { get; set; } = "";

    public string Type { get; set; } = "friend";
    public string Host { get; set; } = "dynamic";

    /// <summary>Set on creation only: afterwards chan_sip writes the port a phone registers from.</summary>
    public string Port { get; set; } = "";

    public string Context { get; set; } = "";
    public string Callerid { get; set; } = "";

    /// <summary>The clear secret; with <see cref="StoreMd5"/> it is only hashed, and left empty it keeps the stored digest.</summary>
    public string Secret { get; set; } = "";

    public bool StoreMd5 { get; set; }

    /// <summary>The stored digest, kept when the secret is not re-entered.</summary>
    public string Md5secret { get; set; } = "";

    public string Accountcode { get; set; } = "";
    public string Nat { get; set; } = "no";
    public string Dtmfmode { get; set; } = "rfc2833";
    public string Canreinvite { get; set; } = "no";
    public string Qualify { get; set; } = "yes";
    public string Insecure { get; set; } = "";
    public string Mailbox { get; set; } = "";
    public string Deny { get; set; } = "";
    public string Permit { get; set; } = "";
    public string Language { get; set; } = "";
    public string Callgroup { get; set; } = "";
    public string Pickupgroup { get; set; } = "";
    public string Disallow { get; set; } = "all";

    /// <summary>The allowed codecs in order of preference; stored as <c>ulaw;alaw;gsm</c> (one allow= line each).</summary>
    public List<string> Codecs { get; set; } = ["ulaw", "alaw", "gsm"];

    /// <summary>A new peer, with a strong secret already generated.</summary>
    public static SipPeerForm New() => new() { Secret = GenerateSecret() };

    /// <summary>24 letters and digits from the system's CSPRNG: about 143 bits, nothing a SIP scanner guesses.</summary>
    public static string GenerateSecret() =>
        RandomNumberGenerator.GetString("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789", 24);

    public static SipPeerForm From(SipPeer peer) => new()
    {
        Name = peer.Name,
        OriginalName = peer.Name,
        Type = peer.Type,
        Host = peer.Host,
        Port = peer.Port,
        Context = peer.Context ?? "",
        Callerid = peer.Callerid ?? "",
        Secret = peer.Secret ?? "",
        StoreMd5 = string.IsNullOrEmpty(peer.Secret) && !string.IsNullOrEmpty(peer.Md5secret),
        Md5secret = peer.Md5secret ?? "",
        Accountcode = peer.Accountcode ?? "",
        Nat = peer.Nat,
        Dtmfmode = peer.Dtmfmode ?? "",
        Canreinvite = peer.Canreinvite ?? "",
        Qualify = peer.Qualify ?? "",
        Insecure = peer.Insecure ?? "",
        Mailbox = peer.Mailbox ?? "",
        Deny = peer.Deny ?? "",
        Permit = peer.Permit ?? "",
        Language = peer.Language ?? "",
        Callgroup = peer.Callgroup ?? "",
        Pickupgroup = peer.Pickupgroup ?? "",
        Disallow = peer.Disallow ?? "",
        Codecs = Portal.Asterisk.Sip.Codecs.Parse(peer.Allow ?? "").ToList(),
    };

    /// <summary>Writes the form into the row's edited columns (and the port of a new row); registration columns stay as they are.</summary>
    public void ApplyTo(SipPeer peer, string realm, bool isNew)
    {
        peer.Name = Name;
        peer.Type = Type;
        peer.Host = Host;
        if (isNew)
        {
            peer.Port = Port;
        }
        peer.Context = OrNull(Context);
        peer.Callerid = OrNull(Callerid);
        // chan_sip prefers md5secret when both are set; storing only one leaves no doubt which one applies.
        peer.Secret = StoreMd5 ? null : Secret;
        peer.Md5secret = !StoreMd5 ? null : Secret.Length > 0 ? Md5Secret.Compute(Name, realm, Secret) : Md5secret;
        peer.Accountcode = OrNull(Accountcode);
        peer.Nat = Nat.Length == 0 ? "no" : Nat;
        peer.Dtmfmode = OrNull(Dtmfmode);
        peer.Canreinvite = OrNull(Canreinvite);
        peer.Qualify = OrNull(Qualify);
        peer.Insecure = OrNull(Insecure);
        peer.Mailbox = OrNull(Mailbox);
        peer.Deny = OrNull(Deny);
        peer.Permit = OrNull(Permit);
        peer.Language = OrNull(Language);
        peer.Callgroup = OrNull(Callgroup);
        peer.Pickupgroup = OrNull(Pickupgroup);
        peer.Disallow = OrNull(Disallow);
        peer.Allow = OrNull(Portal.Asterisk.Sip.Codecs.Format(Codecs));
    }

    /// <summary>The edited columns of a row, by column name: what the conflict check compares.</summary>
    public static IReadOnlyDictionary<string, string?> Snapshot(SipPeer p) => new Dictionary<string, string?>
    {
        ["name"] = p.Name,
        ["type"] = p.Type,
        ["host"] = p.Host,
        ["context"] = p.Context,
        ["callerid"] = p.Callerid,
        ["secret"] = p.Secret,
        ["md5secret"] = p.Md5secret,
        ["accountcode"] = p.Accountcode,
        ["nat"] = p.Nat,
        ["dtmfmode"] = p.Dtmfmode,
        ["canreinvite"] = p.Canreinvite,
        ["qualify"] = p.Qualify,
        ["insecure"] = p.Insecure,
        ["mailbox"] = p.Mailbox,
        ["deny"] = p.Deny,
        ["permit"] = p.Permit,
        ["language"] = p.Language,
        ["callgroup"] = p.Callgroup,
        ["pickupgroup"] = p.Pickupgroup,
        ["disallow"] = p.Disallow,
        ["allow"] = p.Allow,
    };

    private static string? OrNull(string value) => value.Length == 0 ? null : value;
}

/// <summary>
/// What chan_sip accepts in each column, and what the column holds (the live sizes from <see cref="RealtimeSchema"/>,
/// read at validation time: the schema page can widen a column while the portal runs). The one validator of the form,
/// the commands and the CSV import.
/// </summary>
public sealed partial class SipPeerFormValidator : AbstractValidator<SipPeerForm>
{
    public const int MinSecretLength = 12;

    private readonly RealtimeSchema schema;

    public SipPeerFormValidator(RealtimeSchema schema)
    {
        this.schema = schema;
        RuleFor(f => f.Name).Cascade(CascadeMode.Stop)
            .Must(n => PeerName.Check(n) is null).WithMessage(f => "Name: " + PeerName.Check(f.Name))
            .Fits(this, "name");
        RuleFor(f => f.Type).Must(SipPeerOptions.IsValidType).WithMessage("Type: friend, peer or user.").Fits(this, "type");
        // Length first: it bounds the work of the host-name pattern.
        RuleFor(f => f.Host).Cascade(CascadeMode.Stop)
            .Fits(this, "host")
            .Must(IsHost).WithMessage("Host: 'dynamic', an IP address or a host name.");
        // Only a new peer's port is written: afterwards the column is chan_sip's (see ApplyTo).
        When(f => f.OriginalName.Length == 0, () =>
            RuleFor(f => f.Port).Cascade(CascadeMode.Stop)
                .Must(p => p.Length == 0 || (Digits().IsMatch(p) && int.TryParse(p, out var n) && n is >= 1 and <= 65535))
                .WithMessage("Port: a number from 1 to 65535, or empty for 5060.")
                .Fits(this, "port"));
        RuleFor(f => f.Context).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Context: the dialplan context calls from this peer start in.")
            .Matches(Word()).WithMessage("Context: letters, digits, '_' and '-' only.")
            .Fits(this, "context");
        RuleFor(f => f.Callerid).Cascade(CascadeMode.Stop)
            .SingleLine("Caller ID")
            .Must(IsCallerId).WithMessage(f => CallerIdMessage(f.Callerid))
            .Fits(this, "callerid");
        RuleFor(f => f.Accountcode).Cascade(CascadeMode.Stop)
            .Must(a => a.Length == 0 || AccountCode().IsMatch(a)).WithMessage("Account code: letters, digits, '_', '.' and '-' only.")
            .Fits(this, "accountcode");
        RuleFor(f => f.Nat).Cascade(CascadeMode.Stop)
            .Must(v => IsOption(v, SipPeerOptions.IsValidNat)).WithMessage("NAT: " + string.Join(", ", SipPeerOptions.Nat) + ".")
            .Fits(this, "nat");
        RuleFor(f => f.Dtmfmode).Cascade(CascadeMode.Stop)
            .Must(v => v.Length == 0 || IsOption(v, SipPeerOptions.IsValidDtmfMode)).WithMessage("DTMF mode: " + string.Join(", ", SipPeerOptions.DtmfModes) + ".")
            .Fits(this, "dtmfmode");
        RuleFor(f => f.Canreinvite).Cascade(CascadeMode.Stop)
            .Must(v => v.Length == 0 || IsOption(v, SipPeerOptions.IsValidDirectMedia)).WithMessage("Can reinvite: " + string.Join(", ", SipPeerOptions.DirectMedia) + ".")
            .Fits(this, "canreinvite");
        RuleFor(f => f.Qualify).Cascade(CascadeMode.Stop)
            .Must(v => v.Length == 0 || IsOption(v, SipPeerOptions.IsValidQualify)).WithMessage("Qualify: yes, no, or the longest round trip in milliseconds.")
            .Fits(this, "qualify");
        RuleFor(f => f.Insecure).Cascade(CascadeMode.Stop)
            .Must(v => v.Length == 0 || IsOption(v, SipPeerOptions.IsValidInsecure)).WithMessage("Insecure: " + string.Join(", ", SipPeerOptions.Insecure) + ".")
            .Fits(this, "insecure");
        RuleFor(f => f.Mailbox).Cascade(CascadeMode.Stop)
            .Must(m => m.Length == 0 || Mailboxes().IsMatch(m)).WithMessage("Mailbox: box@context, e.g. 1001@company-a (several separated by commas).")
            .Fits(this, "mailbox");
        RuleFor(f => f.Deny).Cascade(CascadeMode.Stop)
            .Must(v => v.Length == 0 || IsAddressMask(v)).WithMessage("Deny: an IP address with an optional mask, e.g. 0.0.0.0/0.0.0.0 or 10.0.0.0/8.")
            .Fits(this, "deny");
        RuleFor(f => f.Permit).Cascade(CascadeMode.Stop)
            .Must(v => v.Length == 0 || IsAddressMask(v)).WithMessage("Permit: an IP address with an optional mask, e.g. 192.168.1.0/255.255.255.0 or 10.0.0.0/8.")
            .Fits(this, "permit");
        RuleFor(f => f.Language).Cascade(CascadeMode.Stop)
            .Must(l => l.Length == 0 || Language().IsMatch(l)).WithMessage("Language: a language code such as en or fr.")
            .Fits(this, "language");
        RuleFor(f => f.Callgroup).Cascade(CascadeMode.Stop)
            .Must(IsGroupList).WithMessage("Call group: groups 0-63 and ranges, e.g. 1,3-5.")
            .Fits(this, "callgroup");
        RuleFor(f => f.Pickupgroup).Cascade(CascadeMode.Stop)
            .Must(IsGroupList).WithMessage("Pickup group: groups 0-63 and ranges, e.g. 1,3-5.")
            .Fits(this, "pickupgroup");
        RuleFor(f => f.Disallow).Cascade(CascadeMode.Stop)
            .Must(d => d.Length == 0 || IsCodecList(d)).WithMessage("Disallow: all, or codec names separated by ';'.")
            .Fits(this, "disallow");
        RuleFor(f => f.Codecs).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Codecs: pick at least one, or the peer has no audio.")
            .Must(c => c.All(x => x != "all" && Portal.Asterisk.Sip.Codecs.IsKnown(x) && x == x.ToLowerInvariant()))
            .WithMessage(f => "Codecs: unknown codec " + string.Join(", ", f.Codecs.Where(x => x == "all" || !Portal.Asterisk.Sip.Codecs.IsKnown(x) || x != x.ToLowerInvariant())) + ".")
            .Must(c => c.Distinct().Count() == c.Count).WithMessage("Codecs: each codec once.")
            .Must(c => FitsColumn(Portal.Asterisk.Sip.Codecs.Format(c), "allow"))
            .WithMessage(_ => $"Codecs: too many for sip.allow ({Size("allow")} characters).");

        When(f => !f.StoreMd5 || f.Secret.Length > 0, () =>
            RuleFor(f => f.Secret).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("Secret: generate one, or enter at least " + MinSecretLength + " characters.")
                .MinimumLength(MinSecretLength).WithMessage($"Secret: at least {MinSecretLength} characters: SIP scanners guess short ones.")
                .Must(s => s.All(c => c is >= '!' and <= '~' and not ';')).WithMessage("Secret: printable ASCII without spaces or ';'.")
                .Fits(this, "secret"));
        When(f => f.StoreMd5 && f.Secret.Length == 0, () =>
        {
            RuleFor(f => f.Md5secret).Matches(Md5Hex()).WithMessage("Secret: enter one; no MD5 digest is stored yet.");
            RuleFor(f => f.Secret).Must((f, _) => f.OriginalName.Length == 0 || f.Name == f.OriginalName)
                .WithMessage("Secret: the MD5 digest includes the peer's name; enter the secret again to rename the peer.");
        });
    }

    /// <summary>MudForm's per-field validation, run by the same rules the commands run.</summary>
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<SipPeerForm>.CreateWithOptions((SipPeerForm)model, x => x.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };

    internal int Size(string column) => schema.MaxLength("sip", column);

    internal bool FitsColumn(string value, string column) => value.Length == 0 || value.Length <= Size(column);

    /// <summary>Well-formed text a realtime row can hold: no control characters, no lone surrogates, and no ';', where the realtime driver splits a value in two.</summary>
    public static bool IsPlainText(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c) || c == ';' || char.IsLowSurrogate(c))
            {
                return false;
            }
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    public static bool IsHost(string host) =>
        host == "dynamic" || IsIpAddress(host) || (Hostname().IsMatch(host) && !host.Split('.')[^1].All(char.IsAsciiDigit));

    /// <summary>A dotted IPv4 address or an IPv6 address: IPAddress.TryParse alone takes "1" or "0x7f.1" too.</summary>
    public static bool IsIpAddress(string value) =>
        IPAddress.TryParse(value, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 ? value.Contains(':') && !value.Contains('%') : Ipv4().IsMatch(value));

    /// <summary>chan_sip's deny/permit: an address, optionally /prefix-length or /dotted-mask.</summary>
    public static bool IsAddressMask(string value)
    {
        var parts = value.Split('/');
        if (parts.Length > 2 || !IsIpAddress(parts[0]))
        {
            return false;
        }
        if (parts.Length == 1)
        {
            return true;
        }
        var v6 = parts[0].Contains(':');
        if (Digits().IsMatch(parts[1]) && parts[1].Length <= 3)
        {
            return int.Parse(parts[1]) <= (v6 ? 128 : 32);
        }
        return !v6 && Ipv4().IsMatch(parts[1]) && IsContiguousMask(IPAddress.Parse(parts[1]));
    }

    public static bool IsCallerId(string value) =>
        value.Length == 0
        || (IsPlainText(value) && CallerId.TryParse(value, out var id) && IsCallerNumber(id.Number)
            && !id.Name.Contains('<') && !id.Name.Contains('>') && id.ToString() == value);

    public static bool IsGroupList(string value) =>
        value.Length == 0 || value.Split(',').All(part =>
        {
            var range = part.Split('-');
            return range.Length <= 2
                && range.All(n => Digits().IsMatch(n) && n.Length <= 2 && int.Parse(n) <= 63)
                && (range.Length == 1 || int.Parse(range[0]) <= int.Parse(range[1]));
        });

    public static bool IsCodecList(string value) =>
        value.Split(';').All(c => c.Length > 0 && c == c.ToLowerInvariant() && Portal.Asterisk.Sip.Codecs.IsKnown(c));

    private static bool IsOption(string value, Func<string, bool> accepted) =>
        !value.Any(char.IsWhiteSpace) && IsPlainText(value) && accepted(value);

    private static bool IsCallerNumber(string number) => number.All(c => char.IsAsciiDigit(c) || c is '*' or '#' or '+');

    private static string CallerIdMessage(string value)
    {
        if (IsPlainText(value) && CallerId.TryParse(value, out var id) && IsCallerNumber(id.Number) && !id.Name.Contains('<') && !id.Name.Contains('>'))
        {
            return $"Caller ID: write it as {id}.";
        }
        return "Caller ID: \"Name\" <number>, the number of digits, *, # and +.";
    }

    private static bool IsContiguousMask(IPAddress mask)
    {
        var bits = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mask.GetAddressBytes());
        return (~bits & (~bits + 1)) == 0;
    }

    [GeneratedRegex(@"^[0-9]+\z")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\z")]
    private static partial Regex Word();

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+\z")]
    private static partial Regex AccountCode();

    [GeneratedRegex(@"^[0-9]+@[A-Za-z0-9_-]+(,[0-9]+@[A-Za-z0-9_-]+)*\z")]
    private static partial Regex Mailboxes();

    [GeneratedRegex(@"^[a-z]{2}(_[A-Z]{2})?\z")]
    private static partial Regex Language();

    [GeneratedRegex(@"^[0-9a-f]{32}\z")]
    private static partial Regex Md5Hex();

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}\z")]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z")]
    private static partial Regex Hostname();
}

internal static class SipPeerRules
{

    /// <summary>The value fits its sip column as the connected database declares it (0: the column is missing).</summary>
    public static IRuleBuilderOptions<SipPeerForm, string> Fits(this IRuleBuilder<SipPeerForm, string> rule, SipPeerFormValidator validator, string column) =>
        rule.Must(v => validator.FitsColumn(v, column))
            .WithMessage(_ => validator.Size(column) > 0
                ? $"At most {validator.Size(column)} characters (sip.{column})."
                : $"This database's sip table has no usable {column} column.")
            .ReadsBackAsTyped();
}
