using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Portal.Asterisk;
using Portal.Asterisk.Dialplan;

namespace Portal.Tests.Asterisk.Dialplan;

public class PipeRuleTests
{
    [Fact]
    public void Check_accepts_pipe_separated_arguments()
    {
        Assert.Empty(PipeRule.Check("SIP/1001|20|tr"));
    }

    [Fact]
    public void Check_reports_every_comma_with_its_position()
    {
        var problems = PipeRule.Check("SIP/1001,20,tr");

        Assert.Equal([8, 11], problems.Select(p => p.Position));
        Assert.All(problems, p =>
        {
            Assert.Equal(AppdataProblemKind.Comma, p.Kind);
            Assert.Equal(Severity.Error, p.Severity);
        });
    }

    [Fact]
    public void Check_reports_a_quoted_comma_as_text()
    {
        var problem = Assert.Single(PipeRule.Check("msg=\"Hello, world\""));

        Assert.Equal(AppdataProblemKind.LiteralComma, problem.Kind);
        Assert.Equal(10, problem.Position);
    }

    [Fact]
    public void Check_warns_past_128_characters_as_its_own_kind()
    {
        var problem = Assert.Single(PipeRule.Check(new string('a', 129)));

        Assert.Equal(AppdataProblemKind.TooLong, problem.Kind);
        Assert.Equal(Severity.Warning, problem.Severity);
        Assert.Contains("varchar(128)", problem.Message);
        Assert.Empty(PipeRule.Check(new string('a', 128)));
    }

    [Fact]
    public void Check_warns_of_a_multi_argument_function_inside_an_expression()
    {
        var problem = Assert.Single(PipeRule.Check("$[${CUT(foo|-|1)} = 1]?yes"));

        Assert.Equal(AppdataProblemKind.FunctionInExpression, problem.Kind);
        Assert.Equal(Severity.Warning, problem.Severity);
        Assert.Equal(2, problem.Position);
        Assert.Contains("Set(cut=${CUT(foo|-|1)})", problem.Message);
    }

    [Fact]
    public void Check_warns_of_realtime_lookup_inside_a_quoted_comparison()
    {
        var problem = Assert.Single(PipeRule.Check("$[\"${REALTIME(extensions|app|company-a|appdata)}\" = \"on\"]?open"));

        Assert.Equal(AppdataProblemKind.FunctionInExpression, problem.Kind);
        Assert.Contains("Set(realtime=${REALTIME(extensions|app|company-a|appdata)})", problem.Message);
    }

    [Fact]
    public void Check_accepts_single_argument_functions_and_or_inside_an_expression()
    {
        Assert.Empty(PipeRule.Check("$[${LEN(${EXTEN})} = 4 | ${A} = 2]?long:short"));
    }

    [Fact]
    public void Check_accepts_multi_argument_functions_outside_expressions()
    {
        Assert.Empty(PipeRule.Check("cid=${CUT(CALLERID(num)|-|1)}"));
    }

    [Fact]
    public void Check_reports_a_semicolon_because_the_driver_splits_there()
    {
        var problem = Assert.Single(PipeRule.Check("x=a;b"));

        Assert.Equal(AppdataProblemKind.Semicolon, problem.Kind);
        Assert.Contains("^3B", problem.Message);
    }

    [Fact]
    public void Fix_turns_dial_argument_commas_into_pipes()
    {
        var fix = PipeRule.FixCommas("SIP/1001,20,tr");

        Assert.Equal("SIP/1001|20|tr", fix.Appdata);
        Assert.Empty(fix.Unfixed);
    }

    [Fact]
    public void Fix_turns_function_argument_commas_into_pipes()
    {
        Assert.Equal("${CUT(CALLERID(num)|-|1)}", PipeRule.FixCommas("${CUT(CALLERID(num),-,1)}").Appdata);
    }

    [Fact]
    public void Fix_leaves_an_expression_without_commas_untouched()
    {
        var fix = PipeRule.FixCommas("$[${A} = 1 | ${B} = 2]");

        Assert.Equal("$[${A} = 1 | ${B} = 2]", fix.Appdata);
        Assert.Empty(fix.Unfixed);
    }

    [Fact]
    public void Fix_leaves_a_quoted_comma_and_reports_it()
    {
        var fix = PipeRule.FixCommas("msg=\"Hello, world\",20");

        Assert.Equal("msg=\"Hello, world\"|20", fix.Appdata);
        var unfixed = Assert.Single(fix.Unfixed);
        Assert.Equal(AppdataProblemKind.LiteralComma, unfixed.Kind);
        Assert.Equal(10, unfixed.Position);
    }

    [Fact]
    public void Fix_leaves_an_escaped_comma_and_reports_it()
    {
        var fix = PipeRule.FixCommas(@"a\,b,c");

        Assert.Equal(@"a\,b|c", fix.Appdata);
        Assert.Equal(AppdataProblemKind.LiteralComma, Assert.Single(fix.Unfixed).Kind);
    }

    [Fact]
    public void Fix_leaves_commas_inside_an_expression_because_a_pipe_there_is_an_or()
    {
        var fix = PipeRule.FixCommas("$[${CUT(foo,-,1)} = 1]?yes,no");

        Assert.Equal("$[${CUT(foo,-,1)} = 1]?yes|no", fix.Appdata);
        Assert.Equal([AppdataProblemKind.CommaInExpression, AppdataProblemKind.CommaInExpression],
            fix.Unfixed.Select(p => p.Kind));
    }

    [Property]
    public Property Fix_leaves_no_comma_outside_quotes_escapes_and_expressions() =>
        Prop.ForAll(DialplanGen.AppdataWithCommas.ToArbitrary(), appdata =>
        {
            var fix = PipeRule.FixCommas(appdata);
            return PipeRule.Check(fix.Appdata).All(p => p.Kind != AppdataProblemKind.Comma)
                && PipeRule.Check(fix.Appdata).Where(p => p.Kind is AppdataProblemKind.LiteralComma or AppdataProblemKind.CommaInExpression)
                    .SequenceEqual(fix.Unfixed);
        });

    [Property]
    public Property Fix_changes_only_commas_and_only_into_pipes() =>
        Prop.ForAll(DialplanGen.AppdataWithCommas.ToArbitrary(), appdata =>
        {
            var fixedValue = PipeRule.FixCommas(appdata).Appdata;
            return fixedValue.Length == appdata.Length
                && appdata.Zip(fixedValue).All(p => p.First == p.Second || (p.First == ',' && p.Second == '|'));
        });

    [Property]
    public Property Fix_changes_nothing_in_valid_pipe_appdata() =>
        Prop.ForAll(DialplanGen.PipeAppdata.ToArbitrary(), appdata => PipeRule.FixCommas(appdata).Appdata == appdata);
}
