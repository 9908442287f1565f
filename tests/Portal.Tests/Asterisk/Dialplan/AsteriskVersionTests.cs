using Portal.Asterisk;
using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;

namespace Portal.Tests.Asterisk.Dialplan;

/// <summary>What the cluster's Asterisk family lacks, what a node runs for stored appdata, and where realtime and a
/// static extensions.conf choose differently.</summary>
public class AsteriskVersionTests
{
    private static readonly AsteriskFamily Eleven = AsteriskFamily.Find("11")!;
    private static readonly AsteriskFamily OneFour = AsteriskFamily.Find("1.4")!;
    private static readonly AsteriskFamily OneSix = AsteriskFamily.Find("1.6")!;
    private static readonly IReadOnlySet<string> NoFlags = new HashSet<string>();

    [Theory]
    [InlineData("RealTime", "extensions|app|company-a|flag_", "REALTIME_FIELD")]
    [InlineData("RealTimeUpdate", "extensions|app|company-a|appdata|on", "Set(REALTIME(")]
    [InlineData("DBget", "x=family/key", "${DB(family/key)}")]
    [InlineData("SetCallerID", "\"A\" <1>", "CALLERID(all)")]
    [InlineData("SetCIDName", "Alice", "CALLERID(name)")]
    public void Step_calling_an_application_gone_from_11_is_an_error_naming_the_replacement(string app, string appdata, string instead)
    {
        var error = Assert.Single(StepCheck.Check(new ExtensionRow("c", "s", 1, app, appdata), NoFlags, Eleven), f => f.Severity == Severity.Error);
        Assert.Contains("Asterisk 11", error.Message);
        Assert.Contains(instead, error.Message);
    }

    [Fact]
    public void RealTime_is_fine_on_a_1_4_cluster_and_its_function_is_not()
    {
        Assert.DoesNotContain(StepCheck.Check(new ExtensionRow("c", "s", 1, "RealTime", "extensions|app|a|flag_"), NoFlags, OneFour), f => f.Severity == Severity.Error);
        var error = Assert.Single(StepCheck.Check(new ExtensionRow("c", "s", 1, "Set", "x=${REALTIME_FIELD(extensions|app|a|appdata)}"), NoFlags, OneFour),
            f => f.Severity == Severity.Error && f.Message.Contains("REALTIME_FIELD"));
        Assert.Contains("from 1.8 on", error.Message);
    }

    [Fact]
    public void REALTIME_FIELD_needs_1_8_and_REALTIME_works_from_1_6()
    {
        Assert.Single(ApplicationCatalog.MissingIn(OneSix, "Set", "x=${REALTIME_FIELD(extensions|app|a|appdata)}"));
        Assert.Empty(ApplicationCatalog.MissingIn(OneSix, "Set", "REALTIME(extensions|app|a|appdata)=on"));
        Assert.Empty(ApplicationCatalog.MissingIn(Eleven, "Set", "x=${REALTIME_FIELD(extensions|app|a|appdata)}"));
        Assert.Empty(ApplicationCatalog.MissingIn(Eleven, "GotoIf", "$[\"${REALTIME_FIELD(extensions|app|a|appdata)}\" = \"on\"]?closed,1"));
    }

    [Fact]
    public void A_flag_row_named_like_nothing_is_never_an_application_the_cluster_lacks()
    {
        var flags = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "company-a" };
        Assert.DoesNotContain(StepCheck.Check(new ExtensionRow("c", "flag", 1, "company-a", "off"), flags, Eleven), f => f.Severity == Severity.Error);
    }

    /// <summary>The applications of a real 11.25.3 (core show applications): none of those the catalog limits to
    /// older families is among them, and every replacement named for 11 exists there.</summary>
    [Fact]
    public void The_catalog_agrees_with_core_show_applications_of_11()
    {
        string[] registered = ["Set", "MSet", "ExecIf", "GotoIf", "Gosub", "StackPop", "Originate", "ConfBridge", "SIPRemoveHeader", "CELGenUserEvent", "ReadFile", "SetMusicOnHold", "WaitMusicOnHold", "DBdel", "DBdeltree"];
        Assert.All(registered, a => Assert.Empty(ApplicationCatalog.MissingIn(Eleven, a, "")));
        Assert.Contains("RealTime", ApplicationCatalog.ApplicationsMissingIn(Eleven));
        Assert.Contains("DBput", ApplicationCatalog.ApplicationsMissingIn(Eleven));
        Assert.Empty(ApplicationCatalog.FunctionsMissingIn(Eleven));
    }

    [Theory]
    [InlineData("x=\"a|b\"", "x=\"a,b\"")]
    [InlineData("SIP/1001|20|tr", "SIP/1001,20,tr")]
    [InlineData("$[${a} = 1 | ${b} = 2]?yes|no", "$[${a} = 1 | ${b} = 2]?yes,no")]
    [InlineData(@"a\|b", @"a\,b")]
    [InlineData("x^41y|z^3Bw", "xAy,z;w")]
    public void AsRun_is_what_pbx_realtime_compat_runs(string stored, string runs)
    {
        Assert.Equal(runs, AppdataArguments.AsRun(stored));
    }

    [Fact]
    public void Export_writes_a_quoted_pipe_as_the_comma_the_node_runs()
    {
        var text = ExtensionsConf.Export("c", [new ExtensionRow("c", "s", 1, "Set", "x=\"a|b\"")]);
        Assert.Contains("exten => s,1,Set(x=\"a,b\")", text);
        Assert.Equal("x=\"a|b\"", Assert.Single(ExtensionsConf.Import(text).Rows).Appdata);
    }

    [Fact]
    public void Export_warns_where_the_realtime_order_runs_another_pattern()
    {
        // SQL order of exten: _7. before _7[1-3].
        var text = ExtensionsConf.Export("c",
        [
            new ExtensionRow("c", "_7.", 1, "NoOp", "general"),
            new ExtensionRow("c", "_7[1-3]", 1, "NoOp", "specific"),
        ]);
        Assert.StartsWith("; Warning: ", text);
        Assert.Contains("runs _7.", text);
        Assert.Contains("runs _7[1-3]", text);
        Assert.Single(ExtensionsConf.Import(text).Rows, r => r.Exten == "_7.");
    }

    [Fact]
    public void Export_says_nothing_when_the_orders_agree()
    {
        var rows = new[] { new ExtensionRow("c", "_7[1-3]", 1, "NoOp", "a"), new ExtensionRow("c", "_8.", 1, "NoOp", "b") };
        Assert.Empty(PatternOrder.Differences(rows));
    }

    [Fact]
    public void Export_warns_that_S_and_s_are_one_extension_to_realtime()
    {
        var warning = Assert.Single(PatternOrder.Differences([new ExtensionRow("c", "S", 1, "NoOp", ""), new ExtensionRow("c", "s", 1, "NoOp", "")]));
        Assert.Contains("without case", warning);
    }

    [Theory]
    [InlineData("Acceptance^41-Secret-12", "AcceptanceA-Secret-12")]
    [InlineData("x^3By", "x;y")]
    public void A_value_Asterisk_would_decode_is_refused_with_what_it_would_read(string typed, string read)
    {
        var problem = Portal.Asterisk.Sip.RealtimeValue.ReadBackProblem(typed);
        Assert.NotNull(problem);
        Assert.Contains(read, problem);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a^b")]
    [InlineData("a^4")]
    [InlineData("a^zz")]
    public void A_caret_without_two_hex_digits_reads_as_typed(string typed)
    {
        Assert.Null(Portal.Asterisk.Sip.RealtimeValue.ReadBackProblem(typed));
    }

    [Fact]
    public void Appdata_with_an_escape_warns_what_the_node_reads()
    {
        var warning = Assert.Single(StepCheck.Check(new ExtensionRow("c", "s", 1, "NoOp", "x^41y"), NoFlags, Eleven), f => f.Field == StepField.Appdata);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("'xAy'", warning.Message);
    }
}
