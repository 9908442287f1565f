using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Portal.Asterisk.Sip;
using Portal.Web.Features.SipPeers;

namespace Portal.Tests.SipPeers;

/// <summary>
/// Each field of the form fed random ASCII, random UTF-16 (lone surrogates included), SQL fragments, over-long values
/// and mutations of valid ones, on an otherwise valid form. Whatever the validator lets through must be what chan_sip
/// reads (each field's own oracle, written apart from the validator's rules) and must fit its column.
/// </summary>
public class SipPeerFormFuzzTests
{
    private static readonly SipPeerFormValidator Validator = SipPeerFormValidatorTests.Widened;

    private static readonly string[] SqlFragments =
    [
        "'", "\"", "`", "\\", "%", "_", "' OR '1'='1", "1; DROP TABLE sip; --", "'); DELETE FROM sip; --", "\\'; --",
        "/* */", "0x27", "NULL", "\0", "a\u0000b", "CHAR(59)", "%' AND 1=1 --", "${EXEC(rm)}", "$(reboot)", "\r\n",
    ];

    private static Gen<string> Text(Gen<char> chars, int maxLength) =>
        from length in Gen.Choose(0, maxLength)
        from text in Gen.ArrayOf(chars, length)
        select new string(text);

    /// <summary>Hostile values, plus the field's valid values mutated, so that the oracle meets values that pass.</summary>
    private static Gen<string> Values(params string[] valid) =>
        Gen.OneOf(
            Text(Gen.Choose(32, 126).Select(i => (char)i), 40),
            Text(Gen.Choose(0, 0xFFFF).Select(i => (char)i), 20),
            Gen.Elements(SqlFragments),
            Gen.Elements(valid),
            from v in Gen.Elements(valid)
            from fragment in Gen.Elements(SqlFragments)
            select v + fragment,
            from v in Gen.Elements(valid)
            from at in Gen.Choose(0, v.Length)
            from c in Gen.OneOf(Gen.Choose(32, 126).Select(i => (char)i), Gen.Elements('ë', '\uD83D', '\t', ';', 'é', '٣'))
            select v.Insert(at, c.ToString()),
            from v in Gen.Elements(valid)
            from times in Gen.Choose(2, 40)
            select string.Concat(Enumerable.Repeat(v, times)));

    private static Property Fuzz(Action<SipPeerForm, string> set, string column, Func<string, bool> oracle, bool mayHoldSemicolon, params string[] valid) =>
        Prop.ForAll(Values(valid).ToArbitrary(), value =>
        {
            var form = SipPeerFormValidatorTests.Valid();
            set(form, value);
            if (!Validator.Validate(form).IsValid)
            {
                return true;
            }
            var size = SipPeerFormValidatorTests.WidenedSchema.MaxLength("sip", column);
            return value.Length <= size && oracle(value) && (mayHoldSemicolon || SipPeerFormValidator.IsPlainText(value));
        });

    private static bool Only(string value, string alphabet) => value.All(alphabet.Contains);

    private const string Letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";

    [Property(MaxTest = 400)]
    public Property Name() =>
        Fuzz((f, v) => f.Name = v, "name", v => v.Length > 0 && Only(v, Letters + Digits + "_.-"), false, "a-1001", "desk_2.b", "x");

    [Property(MaxTest = 400)]
    public Property Type() =>
        Fuzz((f, v) => f.Type = v, "type", v => SipPeerOptions.Types.Contains(v.ToLowerInvariant()), false, "friend", "peer", "user");

    [Property(MaxTest = 400)]
    public Property Host() =>
        Fuzz((f, v) => f.Host = v, "host", v => v == "dynamic" || (v.Length > 0 && Only(v, Letters + Digits + ".:-")), false, "dynamic", "192.0.2.1", "2001:db8::1", "pbx.example.com");

    [Property(MaxTest = 400)]
    public Property Port() =>
        Fuzz((f, v) => f.Port = v, "port", v => v.Length == 0 || (Only(v, Digits) && int.Parse(v) is >= 1 and <= 65535), false, "5060", "1", "65535");

    [Property(MaxTest = 400)]
    public Property Context() =>
        Fuzz((f, v) => f.Context = v, "context", v => v.Length > 0 && Only(v, Letters + Digits + "_-"), false, "company-a", "from_internal");

    [Property(MaxTest = 400)]
    public Property Callerid() =>
        Fuzz((f, v) => f.Callerid = v, "callerid",
            v => v.Length == 0 || (CallerId.TryParse(v, out var id) && id.ToString() == v && Only(id.Number, Digits + "*#+")),
            false, "\"Alice\" <1001>", "<1001>", "\"Zoë\" <+4930>", "\"A \\\"B\\\"\" <1>");

    [Property(MaxTest = 400)]
    public Property Accountcode() =>
        Fuzz((f, v) => f.Accountcode = v, "accountcode", v => Only(v, Letters + Digits + "_.-"), false, "1111", "acct-7");

    [Property(MaxTest = 400)]
    public Property Nat() =>
        Fuzz((f, v) => f.Nat = v, "nat", v => !v.Contains(' ') && SipPeerOptions.IsValidNat(v), false, [.. SipPeerOptions.Nat]);

    [Property(MaxTest = 400)]
    public Property Dtmfmode() =>
        Fuzz((f, v) => f.Dtmfmode = v, "dtmfmode", v => v.Length == 0 || SipPeerOptions.DtmfModes.Contains(v.ToLowerInvariant()), false, [.. SipPeerOptions.DtmfModes]);

    [Property(MaxTest = 400)]
    public Property Canreinvite() =>
        Fuzz((f, v) => f.Canreinvite = v, "canreinvite", v => v.Length == 0 || SipPeerOptions.IsValidDirectMedia(v), false, [.. SipPeerOptions.DirectMedia]);

    [Property(MaxTest = 400)]
    public Property Qualify() =>
        Fuzz((f, v) => f.Qualify = v, "qualify", v => v.Length == 0 || v.ToLowerInvariant() is "yes" or "no" || (Only(v, Digits) && int.Parse(v) > 0), false, "yes", "no", "500");

    [Property(MaxTest = 400)]
    public Property Insecure() =>
        Fuzz((f, v) => f.Insecure = v, "insecure", v => v.Length == 0 || (!v.Contains(' ') && SipPeerOptions.IsValidInsecure(v)), false, [.. SipPeerOptions.Insecure]);

    [Property(MaxTest = 400)]
    public Property Mailbox() =>
        Fuzz((f, v) => f.Mailbox = v, "mailbox", v => v.Length == 0 || (Only(v, Letters + Digits + "@_,-") && v.Split(',').All(m => m.Split('@') is [{ Length: > 0 }, { Length: > 0 }])), false, "1001@company-a", "1@a,2@b");

    [Property(MaxTest = 400)]
    public Property Deny() =>
        Fuzz((f, v) => f.Deny = v, "deny", v => v.Length == 0 || Only(v, Digits + "abcdefABCDEF.:/"), false, "0.0.0.0/0.0.0.0", "10.0.0.0/8", "2001:db8::/32");

    [Property(MaxTest = 400)]
    public Property Permit() =>
        Fuzz((f, v) => f.Permit = v, "permit", v => v.Length == 0 || Only(v, Digits + "abcdefABCDEF.:/"), false, "192.168.1.0/255.255.255.0", "10.1.2.3");

    [Property(MaxTest = 400)]
    public Property Language() =>
        Fuzz((f, v) => f.Language = v, "language", v => v.Length == 0 || Only(v, Letters + "_"), false, "en", "fr", "de");

    [Property(MaxTest = 400)]
    public Property Callgroup() =>
        Fuzz((f, v) => f.Callgroup = v, "callgroup", v => Only(v, Digits + ",-") && v.Split(',', '-').All(n => v.Length == 0 || int.Parse(n) <= 63), false, "1", "1,3-5", "0-63");

    [Property(MaxTest = 400)]
    public Property Pickupgroup() =>
        Fuzz((f, v) => f.Pickupgroup = v, "pickupgroup", v => Only(v, Digits + ",-") && v.Split(',', '-').All(n => v.Length == 0 || int.Parse(n) <= 63), false, "2", "1-2");

    [Property(MaxTest = 400)]
    public Property Disallow() =>
        Fuzz((f, v) => f.Disallow = v, "disallow", v => v.Length == 0 || v.Split(';').All(Codecs.IsKnown), true, "all", "g729;ilbc");

    [Property(MaxTest = 400)]
    public Property Secret() =>
        Fuzz((f, v) => f.Secret = v, "secret", v => v.Length >= SipPeerFormValidator.MinSecretLength && v.All(c => c is > ' ' and <= '~'), false, "Abcdefgh2345jkmn", "x!y#z$w%v&u*");

    [Property(MaxTest = 400)]
    public Property Codecs_list() =>
        Prop.ForAll(Gen.ListOf(Gen.OneOf(Gen.Elements(Codecs.Names.ToArray()), Values("ulaw", "gsm"))).ToArbitrary(), codecs =>
        {
            var form = SipPeerFormValidatorTests.Valid();
            form.Codecs = codecs.ToList();
            return !Validator.Validate(form).IsValid
                || (codecs.Count > 0 && codecs.All(c => c != "all" && Codecs.IsKnown(c)) && codecs.Distinct().Count() == codecs.Count
                    && Codecs.Format(codecs).Length <= SipPeerFormValidatorTests.WidenedSchema.MaxLength("sip", "allow"));
        });

    /// <summary>"NULL" or "0x27" are fine names; a fragment with SQL syntax in it is not.</summary>
    [Property(MaxTest = 200)]
    public Property A_form_whose_every_field_is_an_sql_fragment_never_passes() =>
        Prop.ForAll(Gen.Elements(SqlFragments.Where(f => f.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))).ToArray()).ToArbitrary(), fragment =>
        {
            var form = new SipPeerForm
            {
                Name = fragment,
                Type = fragment,
                Host = fragment,
                Port = fragment,
                Context = fragment,
                Callerid = fragment,
                Secret = fragment,
                Accountcode = fragment,
                Nat = fragment,
                Mailbox = fragment,
                Deny = fragment,
                Permit = fragment,
                Language = fragment,
            };
            var failed = Validator.Validate(form).Errors.Select(e => e.PropertyName).ToHashSet();
            return new[] { "Name", "Type", "Host", "Context", "Secret", "Nat" }.All(failed.Contains);
        });
}
