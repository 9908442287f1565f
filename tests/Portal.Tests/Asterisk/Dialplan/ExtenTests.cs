using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Portal.Asterisk;
using Portal.Asterisk.Dialplan;

namespace Portal.Tests.Asterisk.Dialplan;

public class ExtenTests
{
    [Theory]
    [InlineData("1001")]
    [InlineData("*97")]
    [InlineData("#21#")]
    [InlineData("+4930123456")]
    [InlineData("s")]
    [InlineData("h")]
    [InlineData("T")]
    [InlineData("fax")]
    [InlineData("talk")]
    [InlineData("_X.")]
    [InlineData("_NXXNXXXXXX")]
    [InlineData("_[1-5]XX")]
    [InlineData("_[13-5]XX")]
    [InlineData("_*X!")]
    [InlineData("_nxx-xxxx")]
    public void Validate_accepts_literals_special_names_and_patterns(string exten)
    {
        Assert.Empty(Exten.Validate(exten));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("_", "after the _")]
    [InlineData("_[12", "never closed")]
    [InlineData("_1[]X", "empty set")]
    [InlineData("_X.1", "last character")]
    [InlineData("_X!X", "last character")]
    [InlineData("_[5-1]", "reversed")]
    [InlineData("_[a-c]", "digit to digit")]
    [InlineData("_1A", "not a pattern character")]
    [InlineData("_12]", "closes no [")]
    [InlineData("1001/5551234", "callerid")]
    [InlineData("10 01", "cannot be part")]
    [InlineData("10,01", "cannot be part")]
    public void Validate_rejects_with_a_clear_message(string exten, string expected)
    {
        var problem = Exten.Validate(exten).First(p => p.Severity == Severity.Error);

        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void Validate_warns_that_realtime_does_not_ignore_a_dash_in_a_literal()
    {
        var problem = Assert.Single(Exten.Validate("555-1234"));

        Assert.Equal(Severity.Warning, problem.Severity);
        Assert.Equal(3, problem.Position);
    }

    [Fact]
    public void Validate_warns_of_a_name_that_is_not_a_special_extension()
    {
        Assert.Equal(Severity.Warning, Assert.Single(Exten.Validate("office")).Severity);
    }

    [Fact]
    public void Validate_warns_of_a_name_with_letters_once_whatever_dashes_it_has()
    {
        Assert.Contains("letters", Assert.Single(Exten.Validate("office-closed")).Message);
    }

    [Fact]
    public void Validate_warns_that_underscore_dot_catches_the_special_extensions()
    {
        Assert.Equal(Severity.Warning, Assert.Single(Exten.Validate("_.")).Severity);
    }

    [Fact]
    public void Validate_rejects_an_extension_longer_than_asterisk_keeps()
    {
        Assert.Contains(Exten.Validate(new string('1', 81)), p => p.Severity == Severity.Error);
    }

    [Theory]
    [InlineData("_X", "5", true)]
    [InlineData("_X", "a", false)]
    [InlineData("_Z", "0", false)]
    [InlineData("_Z", "1", true)]
    [InlineData("_N", "1", false)]
    [InlineData("_N", "2", true)]
    [InlineData("_nxz", "200", false)]
    [InlineData("_nxz", "201", true)]
    [InlineData("_1X.", "12", false)]
    [InlineData("_1X.", "123", true)]
    [InlineData("_1X.", "12345678", true)]
    [InlineData("_1X!", "12", true)]
    [InlineData("_1X!", "1", false)]
    [InlineData("_1!", "1", true)]
    [InlineData("_XXX", "12", false)]
    [InlineData("_XXX", "1234", false)]
    [InlineData("_[13-5]", "1", true)]
    [InlineData("_[13-5]", "2", false)]
    [InlineData("_[13-5]", "4", true)]
    [InlineData("_[*#]X", "*1", true)]
    [InlineData("_NXX-XXXX", "5551234", true)]
    [InlineData("_NXXXXXX", "555-1234", true)]
    [InlineData("_1[]2", "12", true)]
    [InlineData("_1[2", "12", false)]
    public void Matches_follows_asterisk_pattern_rules(string pattern, string dialed, bool matches)
    {
        Assert.Equal(matches, Exten.Matches(pattern, dialed));
    }

    [Theory]
    [InlineData("1001", "1001", true)]
    [InlineData("1001", "10011", false)]
    [InlineData("s", "S", false)]
    [InlineData("XXX", "123", false)]
    public void Matches_compares_a_literal_exactly(string exten, string dialed, bool matches)
    {
        Assert.Equal(matches, Exten.Matches(exten, dialed));
    }

    [Property]
    public Property Generated_patterns_are_valid() =>
        Prop.ForAll(DialplanGen.Pattern.ToArbitrary(), pattern => Exten.Validate(pattern).Count == 0);

    [Property]
    public Property A_number_built_from_a_pattern_matches_it() =>
        Prop.ForAll(DialplanGen.PatternAndMatch.ToArbitrary(), p => Exten.Matches(p.Pattern, p.Dialed));

    [Property]
    public Property A_number_with_an_extra_digit_misses_a_pattern_without_wildcard_end() =>
        Prop.ForAll(
            DialplanGen.PatternAndMatch.Where(p => !p.Pattern.EndsWith('.') && !p.Pattern.EndsWith('!')).ToArbitrary(),
            p => !Exten.Matches(p.Pattern, p.Dialed + "1"));
}
