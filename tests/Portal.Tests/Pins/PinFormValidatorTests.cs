using Portal.Web.Data;
using Portal.Web.Features.Pins;

namespace Portal.Tests.Pins;

public class PinFormValidatorTests
{
    private static readonly RealtimeSchema Classic = RealtimeSchema.FromMigration();

    private static IReadOnlyList<string> Errors(PinForm form, RealtimeSchema? schema = null) =>
        new PinFormValidator(schema ?? Classic).Validate(form).Errors.Select(e => e.ErrorMessage).ToList();

    [Theory]
    [InlineData("1234")]
    [InlineData("000000")]
    [InlineData("123456789012345")]
    public void Accepts_digits_that_fit_pins_pin_after_the_accountcode(string digits)
    {
        Assert.Empty(Errors(new PinForm { Accountcode = "1111", Digits = digits }));
    }

    [Theory]
    [InlineData("12a4", "digits only")]
    [InlineData("12 34", "digits only")]
    [InlineData("1234#", "digits only")]
    [InlineData("123", "at least 4")]
    [InlineData("", "type the digits")]
    public void Refuses_what_a_caller_cannot_key_in(string digits, string message)
    {
        Assert.Contains(Errors(new PinForm { Accountcode = "1111", Digits = digits }), e => e.Contains(message));
    }

    [Fact]
    public void Refuses_a_pin_longer_than_the_column_naming_the_column_and_the_digits_left()
    {
        var errors = Errors(new PinForm { Accountcode = "1111", Digits = "1234567890123456" });

        // pins.pin is varchar(20): "1111-" leaves 15 digits.
        Assert.Contains(errors, e => e.Contains("at most 15 digits") && e.Contains("pins.pin"));
    }

    [Fact]
    public void Follows_the_live_column_length_not_a_constant()
    {
        var narrow = new RealtimeSchema(new Dictionary<(string, string), int> { [("pins", "pin")] = 10 });

        Assert.Empty(Errors(new PinForm { Accountcode = "1111", Digits = "12345" }, narrow));
        Assert.NotEmpty(Errors(new PinForm { Accountcode = "1111", Digits = "123456" }, narrow));
    }

    [Fact]
    public void An_edit_may_leave_the_digits_empty_to_keep_the_pin()
    {
        Assert.Empty(Errors(new PinForm { Accountcode = "1111", Digits = "", IsEdit = true }));
    }

    [Fact]
    public void A_tenant_without_an_accountcode_cannot_have_pins()
    {
        Assert.Contains(Errors(new PinForm { Accountcode = "", Digits = "1234" }), e => e.Contains("no accountcode"));
    }

    [Fact]
    public void The_stored_form_is_accountcode_dash_digits()
    {
        Assert.Equal("2222-4321", new PinForm { Accountcode = "2222", Digits = "4321" }.Stored);
    }

    [Theory]
    [InlineData(0, 6, "Count")]
    [InlineData(100_001, 6, "Count")]
    [InlineData(10, 3, "at least 4")]
    [InlineData(10, 16, "at most 15")]
    public void Generating_is_bounded_by_count_and_the_column(int count, int length, string message)
    {
        var errors = new PinGenerateFormValidator(Classic).Validate(new PinGenerateForm { Accountcode = "1111", Count = count, Length = length }).Errors;

        Assert.Contains(errors, e => e.ErrorMessage.Contains(message));
    }
}
