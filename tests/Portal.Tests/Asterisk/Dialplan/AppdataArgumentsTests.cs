using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Portal.Asterisk.Dialplan;

namespace Portal.Tests.Asterisk.Dialplan;

public class AppdataArgumentsTests
{
    [Fact]
    public void Split_separates_dial_arguments_at_pipes()
    {
        Assert.Equal(["SIP/1001", "20", "tr"], AppdataArguments.Split("SIP/1001|20|tr"));
    }

    [Fact]
    public void Split_keeps_empty_arguments_in_place()
    {
        Assert.Equal(["SIP/1001", "", "tr"], AppdataArguments.Split("SIP/1001||tr"));
        Assert.Equal(["a", ""], AppdataArguments.Split("a|"));
    }

    [Fact]
    public void Split_of_empty_appdata_is_no_argument()
    {
        Assert.Empty(AppdataArguments.Split(""));
    }

    [Fact]
    public void Split_leaves_the_or_inside_an_expression_alone()
    {
        Assert.Equal(["$[${A} = 1 | ${B} = 2]?yes", "no"], AppdataArguments.Split("$[${A} = 1 | ${B} = 2]?yes|no"));
    }

    [Fact]
    public void Split_follows_nested_expressions()
    {
        Assert.Equal(["$[$[1|0] | 0]", "x"], AppdataArguments.Split("$[$[1|0] | 0]|x"));
    }

    [Fact]
    public void Split_keeps_function_arguments_with_their_function()
    {
        Assert.Equal(["SIP/${CUT(EXTEN|-|2)}", "20"], AppdataArguments.Split("SIP/${CUT(EXTEN|-|2)}|20"));
    }

    [Fact]
    public void Split_keeps_quoted_and_escaped_pipes_as_text()
    {
        Assert.Equal(["msg=\"a|b\"", "c\\|d"], AppdataArguments.Split("msg=\"a|b\"|c\\|d"));
    }

    [Fact]
    public void Join_puts_pipes_between_arguments()
    {
        Assert.Equal("SIP/1001|20|tr", AppdataArguments.Join(["SIP/1001", "20", "tr"]));
    }

    [Property]
    public Property Split_undoes_join_for_plain_arguments() =>
        Prop.ForAll(
            Gen.NonEmptyListOf(DialplanGen.PlainArgument)
                .Where(args => args.Count > 1 || args[0].Length > 0)
                .ToArbitrary(),
            args => AppdataArguments.Split(AppdataArguments.Join(args)).SequenceEqual(args));
}
