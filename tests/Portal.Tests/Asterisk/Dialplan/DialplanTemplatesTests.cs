using Portal.Asterisk;
using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;

namespace Portal.Tests.Asterisk.Dialplan;

public class DialplanTemplatesTests
{
    private static readonly IReadOnlySet<string> Tenants = new HashSet<string>(["company-a"]);

    private static readonly AsteriskFamily Asterisk14 = AsteriskFamily.Find("1.4")!;

    public static TheoryData<string, string> Templates() => new()
    {
        { "auto-attendant", "1.4" }, { "long distance", "1.4" }, { "direct dial", "1.4" },
        { "auto-attendant", "11" }, { "long distance", "11" }, { "direct dial", "11" },
    };

    private static IReadOnlyList<ExtensionRow> Rows(string template, string asterisk) => template switch
    {
        "auto-attendant" => DialplanTemplates.AutoAttendant("company-a", "company-a", "1001@company-a", AsteriskFamily.Find(asterisk)!),
        "long distance" => DialplanTemplates.LongDistance("company-a-ld", "1111", "SIP/trunk", AsteriskFamily.Find(asterisk)!),
        _ => DialplanTemplates.DirectDial("company-a", "1001", "SIP/a-1001", "1001@company-a"),
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_template_passes_the_step_rules_it_is_written_under(string template, string asterisk)
    {
        var rows = Rows(template, asterisk);
        var findings = rows.SelectMany(r => StepCheck.Check(r, Tenants)).ToList();

        Assert.DoesNotContain(findings, f => f.Severity == Severity.Error);
        // Only the named extens (closed, office-closed) draw a warning: they are jumped to, never dialed.
        Assert.All(findings.Where(f => f.Severity == Severity.Warning), f => Assert.Equal(StepField.Exten, f.Field));
        Assert.Empty(StepCheck.CheckExtensions(rows));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_jump_of_a_template_lands_on_one_of_its_own_steps(string template, string asterisk)
    {
        var rows = Rows(template, asterisk);
        var candidates = rows.Select((r, i) => new SwitchCandidate(r.Exten, r.Priority, i)).ToList();

        Assert.All(rows.SelectMany(GotoTargets.Of), target => Assert.Null(GotoTargets.Problem(target, candidates)));
    }

    [Fact]
    public void AutoAttendant_for_1_4_reads_and_writes_the_flag_with_the_applications()
    {
        // The rows DemoSeed wrote before the templates existed: the demo and the editor must stay the same dialplan.
        Assert.Equal(
            [
                new("company-b", "s", 1, "Answer", ""),
                new("company-b", "s", 2, "RealTime", "extensions|app|company-b|flag_"),
                new("company-b", "s", 3, "GotoIf", "$[\"${flag_appdata}\" = \"on\"]?closed|1"),
                new("company-b", "s", 4, "Background", "welcome"),
                new("company-b", "s", 5, "WaitExten", "10"),
                new("company-b", "closed", 1, "Playback", "office-closed"),
                new("company-b", "closed", 2, "VoiceMail", "2001@company-b|u"),
                new("company-b", "closed", 3, "Hangup", ""),
                new("company-b", "*20", 1, "RealTimeUpdate", "extensions|app|company-b|appdata|on"),
                new("company-b", "*20", 2, "Playback", "activated"),
                new("company-b", "*21", 1, "RealTimeUpdate", "extensions|app|company-b|appdata|off"),
                new("company-b", "*21", 2, "Playback", "de-activated"),
                new("company-b", "office-closed", 1, "company-b", "off"),
            ],
            DialplanTemplates.AutoAttendant("company-b", "company-b", "2001@company-b", Asterisk14));
    }

    [Theory]
    [InlineData("1.6")]
    [InlineData("11")]
    [InlineData("20")]
    public void AutoAttendant_from_1_6_on_reads_and_writes_the_flag_with_the_functions(string asterisk)
    {
        // 11.25.3 answers RealTime with "No such application"; these ran on it (tests/Portal.NodeTests).
        var rows = DialplanTemplates.AutoAttendant("company-b", "company-b", "2001@company-b", AsteriskFamily.Find(asterisk)!);

        Assert.Equal(new ExtensionRow("company-b", "s", 2, "Set", "flag_appdata=${REALTIME_FIELD(extensions|app|company-b|appdata)}"), rows[1]);
        Assert.Equal(new ExtensionRow("company-b", "*20", 1, "Set", "REALTIME(extensions|app|company-b|appdata)=on"), rows.Single(r => r.Exten == "*20" && r.Priority == 1));
        Assert.Equal(new ExtensionRow("company-b", "*21", 1, "Set", "REALTIME(extensions|app|company-b|appdata)=off"), rows.Single(r => r.Exten == "*21" && r.Priority == 1));
        Assert.DoesNotContain(rows, r => r.App.StartsWith("RealTime", StringComparison.Ordinal));
        Assert.Equal(
            DialplanTemplates.AutoAttendant("company-b", "company-b", "2001@company-b", Asterisk14).Where(r => !r.App.StartsWith("RealTime", StringComparison.Ordinal)),
            rows.Where(r => r.App != "Set"));
    }

    [Fact]
    public void AutoAttendant_leaves_out_the_flag_row_a_tenant_has_already()
    {
        var rows = DialplanTemplates.AutoAttendant("company-a-2", "company-a", "1001@company-a", AsteriskFamily.Default, withFlagRow: false);

        Assert.DoesNotContain(rows, r => r.App == "company-a");
        Assert.Contains(rows, r => r.Appdata == "flag_appdata=${REALTIME_FIELD(extensions|app|company-a|appdata)}");
    }

    [Fact]
    public void LongDistance_for_1_4_looks_the_PIN_up_with_the_application()
    {
        Assert.Equal(
            [
                new("company-b-ld", "_1NXXNXXXXXX", 1, "Read", "pin|agent-pass|6"),
                new("company-b-ld", "_1NXXNXXXXXX", 2, "RealTime", "pins|pin|2222-${pin}|pin_"),
                new("company-b-ld", "_1NXXNXXXXXX", 3, "GotoIf", "$[\"${pin_active}\" != \"yes\"]?6"),
                new("company-b-ld", "_1NXXNXXXXXX", 4, "Dial", "SIP/trunk/${EXTEN}|60"),
                new("company-b-ld", "_1NXXNXXXXXX", 5, "Hangup", ""),
                new("company-b-ld", "_1NXXNXXXXXX", 6, "Playback", "invalid"),
                new("company-b-ld", "_1NXXNXXXXXX", 7, "Hangup", ""),
            ],
            DialplanTemplates.LongDistance("company-b-ld", "2222", "SIP/trunk", Asterisk14));
    }

    [Fact]
    public void LongDistance_from_1_6_on_looks_the_PIN_up_with_REALTIME_FIELD()
    {
        var rows = DialplanTemplates.LongDistance("company-b-ld", "2222", "SIP/trunk", AsteriskFamily.Default);

        Assert.Equal(new ExtensionRow("company-b-ld", "_1NXXNXXXXXX", 2, "Set", "pin_active=${REALTIME_FIELD(pins|pin|2222-${pin}|active)}"), rows[1]);
        Assert.Equal(DialplanTemplates.LongDistance("company-b-ld", "2222", "SIP/trunk", Asterisk14).Where(r => r.Priority != 2), rows.Where(r => r.Priority != 2));
    }

    [Fact]
    public void DirectDial_is_the_demo_s_desk_row_for_row()
    {
        Assert.Equal(
            [new("company-a", "1002", 1, "Dial", "SIP/a-1002|20|tr"), new("company-a", "1002", 2, "VoiceMail", "1002@company-a|u")],
            DialplanTemplates.DirectDial("company-a", "1002", "SIP/a-1002", "1002@company-a"));
    }
}
