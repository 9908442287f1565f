using Portal.Web.Features.Tenants;

namespace Portal.Tests.Tenants;

public class TenantFormValidatorTests
{
    private static IReadOnlyList<string> Errors(string key, string accountcode) =>
        new TenantFormValidator().Validate(new TenantForm { Key = key, Name = "Company", Accountcode = accountcode, Contexts = key }).Errors.Select(e => e.ErrorMessage).ToList();

    [Theory]
    [InlineData("1111")]
    [InlineData("")]
    [InlineData("ACME42")]
    public void Accepts_an_accountcode_that_leaves_room_for_a_pin(string accountcode)
    {
        Assert.Empty(Errors("company-a", accountcode));
    }

    [Theory]
    [InlineData("11-11", "letters and digits")]
    [InlineData("1234567890123456", "at most 15")]
    public void Refuses_an_accountcode_that_would_break_the_stored_pin(string accountcode, string message)
    {
        Assert.Contains(Errors("company-a", accountcode), e => e.Contains(message));
    }

    [Fact]
    public void Refuses_a_key_named_like_an_application_since_it_becomes_the_flag_rows_app()
    {
        Assert.Contains(Errors("dial", "1111"), e => e.Contains("Asterisk application"));
    }
}
