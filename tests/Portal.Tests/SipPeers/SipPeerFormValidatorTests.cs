using FluentValidation;
using Portal.Asterisk.Sip;
using Portal.Web.Data;
using Portal.Web.Features.SipPeers;

namespace Portal.Tests.SipPeers;

public class SipPeerFormValidatorTests
{
    /// <summary>The sizes of the classic schema our migration creates: nat varchar(5), insecure varchar(4).</summary>
    internal static readonly SipPeerFormValidator Classic = new(RealtimeSchema.FromMigration());

    /// <summary>The sizes after the schema check's recommended changes (nat 30, insecure 20).</summary>
    internal static readonly RealtimeSchema WidenedSchema = Widen();

    internal static readonly SipPeerFormValidator Widened = new(WidenedSchema);

    internal static SipPeerForm Valid() => new()
    {
        Name = "a-1001",
        Type = "friend",
        Host = "dynamic",
        Context = "company-a",
        Callerid = "\"Alice\" <1001>",
        Secret = "Abcdefgh2345jkmn",
        Accountcode = "1111",
        Mailbox = "1001@company-a",
        Language = "en",
    };

    private static RealtimeSchema Widen()
    {
        var sizes = RealtimeSchema.ParseCreateTables(File.ReadAllText(Path.Combine(Migrator.Folder, "0001_asterisk_realtime_tables.sql")));
        sizes[("sip", "nat")] = 30;
        sizes[("sip", "insecure")] = 20;
        return new RealtimeSchema(sizes);
    }

    private static IReadOnlyList<string> Errors(Action<SipPeerForm> change, SipPeerFormValidator? validator = null)
    {
        var form = Valid();
        change(form);
        return (validator ?? Classic).Validate(form).Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}").ToList();
    }

    private static void Passes(Action<SipPeerForm> change, SipPeerFormValidator? validator = null) => Assert.Empty(Errors(change, validator));

    private static void Fails(string property, Action<SipPeerForm> change, SipPeerFormValidator? validator = null) =>
        Assert.Contains(Errors(change, validator), e => e.StartsWith(property + ":"));

    [Fact]
    public void Secret_that_res_config_mysql_would_decode_is_refused() =>
        Assert.Contains(Errors(f => f.Secret = "Acceptance^41-Secret-12"), e => e.StartsWith("Secret:") && e.Contains("AcceptanceA-Secret-12"));

    [Fact]
    public void Secret_with_a_caret_Asterisk_reads_as_typed_is_fine() => Passes(f => f.Secret = "Accept^nce-Secret-12");

    [Fact]
    public void A_new_peer_with_its_generated_secret_and_a_context_is_valid()
    {
        var form = SipPeerForm.New();
        form.Name = "b-2001";
        form.Context = "company-b";
        Assert.True(Classic.Validate(form).IsValid);
        Assert.Equal(24, form.Secret.Length);
        Assert.NotEqual(form.Secret, SipPeerForm.GenerateSecret());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" a-1001")]
    [InlineData("a 1001")]
    [InlineData("a@1001")]
    [InlineData("SIP/1001")]
    [InlineData("Zoë")]
    [InlineData("a;b")]
    public void Name_is_refused_unless_letters_digits_underscore_dot_dash(string name) => Fails("Name", f => f.Name = name);

    [Fact]
    public void Name_fits_sip_name()
    {
        Passes(f => f.Name = new string('a', 80));
        Fails("Name", f => f.Name = new string('a', 81));
    }

    [Theory]
    [InlineData("friend")]
    [InlineData("peer")]
    [InlineData("user")]
    public void Type_accepts_chan_sips_types(string type) => Passes(f => f.Type = type);

    [Theory]
    [InlineData("")]
    [InlineData("trunk")]
    [InlineData("friend;")]
    public void Type_refuses_anything_else(string type) => Fails("Type", f => f.Type = type);

    [Theory]
    [InlineData("dynamic")]
    [InlineData("192.0.2.10")]
    [InlineData("2001:db8::10")]
    [InlineData("pbx.example.com")]
    [InlineData("sbc-1")]
    public void Host_is_dynamic_an_address_or_a_host_name(string host) => Passes(f => f.Host = host);

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("0x7f.1")]
    [InlineData("999.1.1.1")]
    [InlineData("10.0.0")]
    [InlineData("-pbx.example.com")]
    [InlineData("pbx example.com")]
    [InlineData("pbx.example.com;x")]
    [InlineData("fe80::1%eth0")]
    [InlineData("a-very-long-host-name.example.com")]
    public void Host_refuses_the_rest_and_what_does_not_fit_varchar_31(string host) => Fails("Host", f => f.Host = host);

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("5060")]
    [InlineData("65535")]
    public void Port_of_a_new_peer_is_empty_or_1_to_65535(string port) => Passes(f => f.Port = port);

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("+5060")]
    [InlineData("50 60")]
    [InlineData("５０６０")]
    public void Port_refuses_other_values(string port) => Fails("Port", f => f.Port = port);

    [Fact]
    public void Port_of_an_existing_peer_is_not_validated_since_it_is_never_written()
    {
        Passes(f => (f.OriginalName, f.Port) = (f.Name, "written-by-asterisk"));
        var peer = new SipPeer { Port = "5062" };
        var form = Valid();
        form.Port = "7000";
        form.ApplyTo(peer, "asterisk", isNew: false);
        Assert.Equal("5062", peer.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("company a")]
    [InlineData("company;a")]
    [InlineData("ctx/1")]
    public void Context_is_required_letters_digits_underscore_dash(string context) => Fails("Context", f => f.Context = context);

    [Fact]
    public void Context_fits_sip_context() => Fails("Context", f => f.Context = new string('c', 81));

    [Theory]
    [InlineData("")]
    [InlineData("\"Alice\" <1001>")]
    [InlineData("\"Zoë Müller\" <+4930123>")]
    [InlineData("<*98#>")]
    [InlineData("\"Alice\"")]
    public void Callerid_is_empty_or_name_and_number(string callerid) => Passes(f => f.Callerid = callerid);

    [Fact]
    public void Callerid_in_another_form_is_refused_with_the_canonical_spelling()
    {
        var errors = Errors(f => f.Callerid = "Alice <1001>");
        Assert.Contains(errors, e => e.Contains("write it as \"Alice\" <1001>"));
    }

    [Theory]
    [InlineData("\"Alice\" <10a1>")]
    [InlineData("\"Alice\" <1001")]
    [InlineData("\"Alice\" <1001> x")]
    [InlineData("\"Al;ice\" <1001>")]
    [InlineData("\"Al\nice\" <1001>")]
    public void Callerid_refuses_bad_numbers_broken_brackets_and_separators(string callerid) => Fails("Callerid", f => f.Callerid = callerid);

    [Fact]
    public void Callerid_fits_sip_callerid() => Fails("Callerid", f => f.Callerid = $"\"{new string('n', 75)}\" <1001>");

    [Theory]
    [InlineData("a b")]
    [InlineData("acc;1")]
    [InlineData("123456789012345678901")]
    public void Accountcode_is_a_short_word(string code) => Fails("Accountcode", f => f.Accountcode = code);

    [Theory]
    [InlineData("no")]
    [InlineData("yes")]
    [InlineData("never")]
    [InlineData("route")]
    public void Nat_accepts_the_classic_values(string nat) => Passes(f => f.Nat = nat);

    [Fact]
    public void Nat_force_rport_comedia_needs_the_widened_column()
    {
        Fails("Nat", f => f.Nat = "force_rport,comedia");
        Passes(f => f.Nat = "force_rport,comedia", Widened);
        Fails("Nat", f => f.Nat = "force_rport, comedia", Widened);
        Fails("Nat", f => f.Nat = "maybe", Widened);
    }

    [Theory]
    [InlineData("rfc2833", true)]
    [InlineData("info", true)]
    [InlineData("inband", true)]
    [InlineData("", true)]
    [InlineData("shortinfo", false)]
    [InlineData("tones", false)]
    public void Dtmfmode_is_chan_sips_and_fits_varchar_7(string mode, bool valid) => Check("Dtmfmode", f => f.Dtmfmode = mode, valid);

    [Theory]
    [InlineData("yes", true)]
    [InlineData("no", true)]
    [InlineData("", true)]
    [InlineData("nonat", false)]
    [InlineData("maybe", false)]
    public void Canreinvite_is_chan_sips_and_fits_char_3(string value, bool valid) => Check("Canreinvite", f => f.Canreinvite = value, valid);

    [Theory]
    [InlineData("yes", true)]
    [InlineData("no", true)]
    [InlineData("500", true)]
    [InlineData("0", false)]
    [InlineData("-1", false)]
    [InlineData("2000", false)]
    [InlineData("sure", false)]
    public void Qualify_is_yes_no_or_milliseconds_that_fit_char_3(string value, bool valid) => Check("Qualify", f => f.Qualify = value, valid);

    [Fact]
    public void Insecure_port_invite_needs_the_widened_column()
    {
        Passes(f => f.Insecure = "port");
        Passes(f => f.Insecure = "very");
        Fails("Insecure", f => f.Insecure = "port,invite");
        Passes(f => f.Insecure = "port,invite", Widened);
        Fails("Insecure", f => f.Insecure = "port,port", Widened);
        Fails("Insecure", f => f.Insecure = "all", Widened);
    }

    [Theory]
    [InlineData("1001@company-a", true)]
    [InlineData("1001@company-a,1002@company-a", true)]
    [InlineData("1001", false)]
    [InlineData("box@company-a", false)]
    [InlineData("1001@company a", false)]
    public void Mailbox_is_box_at_context(string mailbox, bool valid) => Check("Mailbox", f => f.Mailbox = mailbox, valid);

    [Theory]
    [InlineData("0.0.0.0/0.0.0.0", true)]
    [InlineData("10.0.0.0/8", true)]
    [InlineData("192.168.1.0/255.255.255.0", true)]
    [InlineData("192.168.1.10", true)]
    [InlineData("2001:db8::/32", true)]
    [InlineData("10.0.0.0/255.0.255.0", false)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("pbx.example.com/8", false)]
    [InlineData("10.0.0.0/8/8", false)]
    public void Deny_and_permit_are_an_address_and_mask(string value, bool valid)
    {
        Check("Deny", f => f.Deny = value, valid);
        Check("Permit", f => f.Permit = value, valid);
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("fr", true)]
    [InlineData("EN", false)]
    [InlineData("eng", false)]
    [InlineData("pt_BR", false)]
    public void Language_is_a_code_that_fits_char_2(string language, bool valid) => Check("Language", f => f.Language = language, valid);

    [Theory]
    [InlineData("1", true)]
    [InlineData("1,3-5", true)]
    [InlineData("0-63", true)]
    [InlineData("64", false)]
    [InlineData("5-3", false)]
    [InlineData("a", false)]
    [InlineData("1,,2", false)]
    [InlineData("1,2,3,4,5,6", false)]
    public void Call_and_pickup_groups_are_0_to_63_and_ranges(string groups, bool valid)
    {
        Check("Callgroup", f => f.Callgroup = groups, valid);
        Check("Pickupgroup", f => f.Pickupgroup = groups, valid);
    }

    [Theory]
    [InlineData("all", true)]
    [InlineData("g729;ilbc", true)]
    [InlineData("ALL", false)]
    [InlineData("mp3", false)]
    public void Disallow_lists_known_codecs(string value, bool valid) => Check("Disallow", f => f.Disallow = value, valid);

    [Fact]
    public void Codecs_are_a_non_empty_ordered_list_of_known_codecs_each_once_that_fits_sip_allow()
    {
        Passes(f => f.Codecs = ["g722", "ulaw", "alaw"]);
        Fails("Codecs", f => f.Codecs = []);
        Fails("Codecs", f => f.Codecs = ["ulaw", "mp3"]);
        Fails("Codecs", f => f.Codecs = ["ulaw", "ulaw"]);
        Fails("Codecs", f => f.Codecs = ["all"]);
        Fails("Codecs", f => f.Codecs = ["ULAW"]);
        Fails("Codecs", f => f.Codecs = Codecs.Names.Where(c => c != "all").ToList());
    }

    [Theory]
    [InlineData("")]
    [InlineData("short-2345")]
    [InlineData("with space 12345")]
    [InlineData("with;semicolon12")]
    [InlineData("ünïcödé-secret-1")]
    public void Secret_is_at_least_12_printable_ascii_characters(string secret) => Fails("Secret", f => f.Secret = secret);

    [Fact]
    public void Secret_fits_sip_secret() => Fails("Secret", f => f.Secret = new string('s', 81));

    [Fact]
    public void Md5_mode_may_keep_the_stored_digest_but_not_across_a_rename()
    {
        var digest = Md5Secret.Compute("a-1001", "asterisk", "Abcdefgh2345jkmn");
        Passes(f => (f.StoreMd5, f.Secret, f.Md5secret, f.OriginalName) = (true, "", digest, "a-1001"));
        Fails("Md5secret", f => (f.StoreMd5, f.Secret, f.Md5secret) = (true, "", ""));
        Fails("Md5secret", f => (f.StoreMd5, f.Secret, f.Md5secret) = (true, "", "not-a-digest"));
        Fails("Secret", f => (f.StoreMd5, f.Secret, f.Md5secret, f.OriginalName, f.Name) = (true, "", digest, "a-1001", "a-1002"));
        Passes(f => (f.StoreMd5, f.OriginalName, f.Name) = (true, "a-1001", "a-1002"));
    }

    [Fact]
    public void Md5_mode_stores_the_digest_of_name_realm_secret_and_no_clear_secret()
    {
        var peer = new SipPeer { Secret = "old-clear-secret" };
        var form = Valid();
        form.StoreMd5 = true;
        form.ApplyTo(peer, "pbx.example.com", isNew: true);
        Assert.Null(peer.Secret);
        Assert.Equal(Md5Secret.Compute("a-1001", "pbx.example.com", "Abcdefgh2345jkmn"), peer.Md5secret);

        form.StoreMd5 = false;
        form.ApplyTo(peer, "pbx.example.com", isNew: false);
        Assert.Equal("Abcdefgh2345jkmn", peer.Secret);
        Assert.Null(peer.Md5secret);
    }

    [Fact]
    public void ApplyTo_stores_codecs_as_the_classic_schema_and_never_touches_registration_columns()
    {
        var peer = new SipPeer { Ipaddr = "192.0.2.1", Port = "5062", Regseconds = 1_800_000_000, Fullcontact = "sip:a@192.0.2.1^3Bob", Useragent = "Yealink", Lastms = 20, Regserver = "node1", Defaultuser = "a", Username = "a" };
        var form = Valid();
        form.Codecs = ["gsm", "ulaw", "alaw"];
        form.ApplyTo(peer, "asterisk", isNew: false);
        Assert.Equal("gsm;ulaw;alaw", peer.Allow);
        Assert.Equal("all", peer.Disallow);
        Assert.Equal(("192.0.2.1", "5062", 1_800_000_000, "sip:a@192.0.2.1^3Bob", "Yealink", 20, "node1", "a", "a"),
            (peer.Ipaddr, peer.Port, peer.Regseconds, peer.Fullcontact, peer.Useragent, peer.Lastms, peer.Regserver, peer.Defaultuser, peer.Username));
    }

    [Fact]
    public void A_form_read_from_a_row_writes_the_same_row_back()
    {
        var peer = new SipPeer { Name = "a-1001", Type = "peer", Host = "192.0.2.5", Context = "company-a", Callerid = "\"A\" <1>", Secret = "Abcdefgh2345jkmn", Nat = "yes", Dtmfmode = "info", Canreinvite = "no", Qualify = "500", Mailbox = "1@company-a", Allow = "ulaw;alaw", Disallow = "all", Language = "fr", Callgroup = "1", Pickupgroup = "1-2" };
        var copy = new SipPeer();
        SipPeerForm.From(peer).ApplyTo(copy, "asterisk", isNew: false);
        Assert.Equal(SipPeerForm.Snapshot(peer), SipPeerForm.Snapshot(copy));
        Assert.Equal(SipPeerForm.EditedColumns.Order(), SipPeerForm.Snapshot(peer).Keys.Order());
    }

    [Fact]
    public async Task The_commands_validation_refuses_what_the_form_refuses()
    {
        var form = Valid();
        form.Host = "bad host";
        var error = await Assert.ThrowsAsync<ValidationException>(() => Classic.ValidateAndThrowAsync(form));
        Assert.Contains(error.Errors, e => e.PropertyName == "Host");
        var messages = await Classic.ValidateValue(form, nameof(SipPeerForm.Host));
        Assert.Contains(messages, m => m.StartsWith("Host:"));
    }

    private static void Check(string property, Action<SipPeerForm> change, bool valid)
    {
        if (valid)
        {
            Passes(change);
        }
        else
        {
            Fails(property, change);
        }
    }
}
