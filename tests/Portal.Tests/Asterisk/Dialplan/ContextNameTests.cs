using Portal.Asterisk.Dialplan;

namespace Portal.Tests.Asterisk.Dialplan;

public class ContextNameTests
{
    [Theory]
    [InlineData("company-a")]
    [InlineData("from_trunk")]
    [InlineData("Office2")]
    public void Validate_accepts_letters_digits_dash_and_underscore(string name)
    {
        Assert.Empty(ContextName.Validate(name));
    }

    [Theory]
    [InlineData("", "needs a name")]
    [InlineData("general", "settings section")]
    [InlineData("GLOBALS", "settings section")]
    [InlineData("a@b", "'@'")]
    [InlineData("a|b", "'|'")]
    [InlineData("a b", "' '")]
    [InlineData("[x]", "'[', ']'")]
    public void Validate_refuses_names_a_node_or_a_Goto_cannot_use(string name, string expected)
    {
        Assert.Contains(expected, Assert.Single(ContextName.Validate(name)));
    }

    [Fact]
    public void Validate_refuses_more_than_Asterisk_keeps()
    {
        Assert.Contains("80", Assert.Single(ContextName.Validate(new string('c', 81))));
        Assert.Empty(ContextName.Validate(new string('c', 80)));
    }
}
