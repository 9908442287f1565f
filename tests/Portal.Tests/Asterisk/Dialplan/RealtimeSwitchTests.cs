using Portal.Asterisk.Dialplan;

namespace Portal.Tests.Asterisk.Dialplan;

public class RealtimeSwitchTests
{
    private static readonly Version Asterisk11 = new(11, 25);
    private static readonly Version Asterisk13_15 = new(13, 15);

    private static SwitchCandidate[] Rows(params string[] extens) =>
        extens.Select((exten, order) => new SwitchCandidate(exten, 1, order)).ToArray();

    [Fact]
    public void Lookup_takes_the_exact_extension_before_any_pattern()
    {
        var answer = RealtimeSwitch.Lookup(Rows("_X.", "1001", "_1XXX"), "1001", Asterisk11);

        Assert.Equal("1001", answer.Answer?.Exten);
        Assert.Equal(SwitchMatchKind.Exact, answer.Kind);
        Assert.Equal(["_X.", "_1XXX"], answer.AlsoMatching.Select(r => r.Exten));
    }

    [Fact]
    public void Lookup_before_13_15_tries_patterns_in_database_order()
    {
        var answer = RealtimeSwitch.Lookup(Rows("_X.", "_1XXX"), "1001", Asterisk11);

        Assert.Equal("_X.", answer.Answer?.Exten);
        Assert.Equal(SwitchMatchKind.Pattern, answer.Kind);
        Assert.Equal(["_1XXX"], answer.AlsoMatching.Select(r => r.Exten));
    }

    [Fact]
    public void Lookup_from_13_15_tries_the_longest_pattern_first()
    {
        var answer = RealtimeSwitch.Lookup(Rows("_X.", "_1XXX"), "1001", Asterisk13_15);

        Assert.Equal("_1XXX", answer.Answer?.Exten);
        Assert.Equal(["_X."], answer.AlsoMatching.Select(r => r.Exten));
    }

    [Fact]
    public void Lookup_keeps_database_order_between_patterns_of_equal_length()
    {
        var answer = RealtimeSwitch.Lookup(Rows("_1XX", "_X.", "_XXX"), "123", Asterisk13_15);

        Assert.Equal("_1XX", answer.Answer?.Exten);
        Assert.Equal(["_XXX", "_X."], answer.AlsoMatching.Select(r => r.Exten));
    }

    [Fact]
    public void Lookup_measures_the_pattern_string_not_its_digits()
    {
        // "_[0-9]XX" is longer as a string than "_12X", though no more specific.
        var answer = RealtimeSwitch.Lookup(Rows("_12X", "_[0-9]XX"), "123", Asterisk13_15);

        Assert.Equal("_[0-9]XX", answer.Answer?.Exten);
    }

    [Fact]
    public void Lookup_looks_at_the_priority_asked()
    {
        SwitchCandidate[] rows =
        [
            new("_1XXX", 1, 0),
            new("_X.", 1, 1),
            new("_X.", 2, 2),
        ];

        Assert.Equal("_1XXX", RealtimeSwitch.Lookup(rows, "1001", Asterisk11).Answer?.Exten);
        Assert.Equal(new SwitchCandidate("_X.", 2, 2), RealtimeSwitch.Lookup(rows, "1001", Asterisk11, priority: 2).Answer);
    }

    [Fact]
    public void Lookup_finds_the_exact_row_like_sql_does_without_case()
    {
        Assert.Equal(SwitchMatchKind.Exact, RealtimeSwitch.Lookup(Rows("S"), "s", Asterisk11).Kind);
    }

    [Fact]
    public void Lookup_reports_no_answer_when_nothing_matches()
    {
        var answer = RealtimeSwitch.Lookup(Rows("1001", "_2XXX"), "1002", Asterisk11);

        Assert.Null(answer.Answer);
        Assert.Equal(SwitchMatchKind.None, answer.Kind);
        Assert.Empty(answer.AlsoMatching);
    }

    [Fact]
    public void Lookup_orders_by_the_database_order_given_not_by_list_position()
    {
        SwitchCandidate[] rows = [new("_1XXX", 1, 5), new("_X.", 1, 2)];

        Assert.Equal("_X.", RealtimeSwitch.Lookup(rows, "1001", Asterisk11).Answer?.Exten);
    }

    [Fact]
    public void Run_looks_every_priority_up_on_its_own_until_one_is_missing()
    {
        // _1. answers priority 1 before 13.15 (database order); only _1XXX has a priority 2 and 3.
        SwitchCandidate[] rows = [new("_1.", 1, 0), new("_1XXX", 1, 1), new("_1XXX", 2, 2), new("_1XXX", 3, 3), new("_1XXX", 5, 4)];

        var steps = RealtimeSwitch.Run(rows, "1001", Asterisk11);

        Assert.Equal([("_1.", 1), ("_1XXX", 2), ("_1XXX", 3)], steps.Select(s => (s.Answer!.Exten, s.Answer.Priority)));
        Assert.Equal(["_1XXX"], steps[0].AlsoMatching.Select(r => r.Exten));
    }

    [Fact]
    public void Run_finds_no_step_when_nothing_answers_priority_1()
    {
        Assert.Empty(RealtimeSwitch.Run([new SwitchCandidate("_2XXX", 1, 0), new SwitchCandidate("1001", 2, 1)], "1001", Asterisk13_15));
    }

    [Fact]
    public void PatternOrder_lists_the_patterns_of_a_priority_as_the_version_tries_them()
    {
        var rows = Rows("_X.", "1001", "_1XXX", "_1NXXNXXXXXX");

        Assert.Equal(["_X.", "_1XXX", "_1NXXNXXXXXX"], RealtimeSwitch.PatternOrder(rows, Asterisk11).Select(r => r.Exten));
        Assert.Equal(["_1NXXNXXXXXX", "_1XXX", "_X."], RealtimeSwitch.PatternOrder(rows, Asterisk13_15).Select(r => r.Exten));
        Assert.Empty(RealtimeSwitch.PatternOrder(rows, Asterisk13_15, priority: 2));
    }
}
