using Portal.Asterisk.Sip;

namespace Portal.Tests.Asterisk.Sip;

public class PeerNameTests
{
    [Theory]
    [InlineData("1001")]
    [InlineData("company-a_alice.desk")]
    public void Check_accepts_letters_digits_underscore_dot_and_dash(string name)
    {
        Assert.Null(PeerName.Check(name));
        Assert.True(PeerName.IsValid(name));
    }

    [Theory]
    [InlineData("", "needs a name")]
    [InlineData("alice@example", "'@'")]
    [InlineData("front desk", "' '")]
    [InlineData("sip/1001", "'/'")]
    public void Check_says_why_a_name_is_refused(string name, string expected)
    {
        Assert.Contains(expected, PeerName.Check(name));
    }

    [Fact]
    public void Check_allows_at_most_80_characters()
    {
        Assert.Null(PeerName.Check(new string('a', 80)));
        Assert.NotNull(PeerName.Check(new string('a', 81)));
    }
}
