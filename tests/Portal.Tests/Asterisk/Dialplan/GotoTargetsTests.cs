using Portal.Asterisk.Dialplan;

namespace Portal.Tests.Asterisk.Dialplan;

public class GotoTargetsTests
{
    private static IReadOnlyList<GotoTarget> Targets(string app, string appdata) =>
        GotoTargets.Of(new ExtensionRow("office", "s", 3, app, appdata));

    [Theory]
    [InlineData("5", "office", "s", "5")]
    [InlineData("closed|1", "office", "closed", "1")]
    [InlineData("sales|s|1", "sales", "s", "1")]
    [InlineData(" sales | 100 | 2 ", "sales", "100", "2")]
    public void Of_reads_a_Goto_label_of_one_two_or_three_parts(string appdata, string context, string exten, string priority)
    {
        Assert.Equal([new GotoTarget(context, exten, priority)], Targets("goto", appdata));
    }

    [Fact]
    public void Of_reads_both_branches_of_a_GotoIf()
    {
        Assert.Equal(
            [new GotoTarget("office", "closed", "1"), new GotoTarget("sales", "s", "1")],
            Targets("GotoIf", "$[\"${flag_appdata}\" = \"on\"]?closed|1:sales|s|1"));
    }

    [Fact]
    public void Of_looks_for_the_branches_after_expressions_and_variables()
    {
        // The ? and : of $[ ] and ${VAR:offset:length} are substituted before GotoIf splits its argument.
        Assert.Equal(
            [new GotoTarget("office", "yes", "1"), new GotoTarget("office", "no", "1")],
            Targets("GotoIf", "$[${A} ? 1 : 0]${X:1:2}?yes|1:no|1"));
    }

    [Fact]
    public void Of_reads_the_label_of_GotoIfTime_after_its_time_spec()
    {
        Assert.Equal([new GotoTarget("office", "open", "1")], Targets("GotoIfTime", "08:00-17:00|mon-fri|*|*?open|1"));
    }

    [Theory]
    [InlineData("Goto", "${DEST}|1")]
    [InlineData("Goto", "")]
    [InlineData("GotoIf", "$[1 = 1]")]
    [InlineData("GotoIf", "$[1 = 1]?:")]
    [InlineData("Dial", "SIP/1001")]
    [InlineData("Goto", "a|b|c|d")]
    public void Of_leaves_out_what_cannot_be_checked(string app, string appdata)
    {
        Assert.Empty(Targets(app, appdata));
    }

    [Fact]
    public void Problem_names_a_context_without_rows()
    {
        Assert.Contains("context sales has no rows", GotoTargets.Problem(new GotoTarget("sales", "s", "1"), null));
    }

    [Fact]
    public void Problem_calls_a_label_unreachable_in_realtime()
    {
        Assert.Contains("label", GotoTargets.Problem(new GotoTarget("office", "s", "start"), [new SwitchCandidate("s", 1, 0)]));
    }

    [Fact]
    public void Problem_accepts_a_step_that_a_pattern_answers()
    {
        SwitchCandidate[] rows = [new("_1NXXNXXXXXX", 1, 0), new("_1NXXNXXXXXX", 2, 1)];

        Assert.Null(GotoTargets.Problem(new GotoTarget("ld", "18005551234", "2"), rows));
        Assert.Contains("no step 18005551234, priority 3", GotoTargets.Problem(new GotoTarget("ld", "18005551234", "3"), rows));
    }
}
