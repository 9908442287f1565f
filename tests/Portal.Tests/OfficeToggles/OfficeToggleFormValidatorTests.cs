using Portal.Web.Data;
using Portal.Web.Features.OfficeToggles;

namespace Portal.Tests.OfficeToggles;

public class OfficeToggleFormValidatorTests
{
    private static IReadOnlyList<string> Errors(string key) =>
        new OfficeToggleFormValidator(RealtimeSchema.FromMigration()).Validate(new OfficeToggleForm { Name = "Holiday", Key = key }).Errors.Select(e => e.ErrorMessage).ToList();

    [Theory]
    [InlineData("company-a")]
    [InlineData("company_a-holiday")]
    public void Accepts_keys_that_are_plain_words(string key)
    {
        Assert.Empty(Errors(key));
    }

    [Theory]
    [InlineData("Dial", "Asterisk application")]
    [InlineData("playback", "Asterisk application")]
    [InlineData("company|a", "letters, digits")]
    [InlineData("company,a", "letters, digits")]
    [InlineData("company-a-holiday-closed", "at most 20")]
    public void Refuses_keys_a_flip_would_misuse(string key, string message)
    {
        Assert.Contains(Errors(key), e => e.Contains(message));
    }

    [Theory]
    [InlineData(new string[0], "missing", null)]
    [InlineData(new[] { "on" }, "on", "on")]
    [InlineData(new[] { "off" }, "off", "off")]
    [InlineData(new[] { "" }, "other", "")]
    [InlineData(new[] { "off", "on", "off" }, "duplicated", "off,on")]
    public void Flag_rows_read_as_a_state_and_an_observed_value(string[] values, string state, string? observed)
    {
        Assert.Equal(state, new NodeFlag("master", values).State);
        Assert.Equal(observed, OfficeToggleWatch.Observed(values));
    }

    [Fact]
    public void A_node_that_did_not_answer_is_unreachable_not_missing()
    {
        Assert.Equal("unreachable", new NodeFlag("replica1", [], "timeout").State);
    }
}
