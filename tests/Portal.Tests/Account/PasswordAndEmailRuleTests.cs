using Portal.Web.Account;
using Portal.Web.Components.Shared;
using Portal.Web.Features.Tenants;

namespace Portal.Tests.Account;

public sealed class PasswordAndEmailRuleTests
{
    [Theory]
    [InlineData("Password1234")]
    [InlineData("PASSWORD1234")]
    [InlineData("123qweasdzxc")]
    public void A_common_password_is_refused_whatever_its_case(string password) => Assert.True(CommonPasswords.IsCommon(password));

    [Fact]
    public void A_password_off_the_list_passes() => Assert.False(CommonPasswords.IsCommon("Browser-Demo-2026-" + Guid.NewGuid()));

    [Theory]
    [InlineData("a@b")]
    [InlineData("@example.test")]
    [InlineData("x y@example.test")]
    [InlineData("admin@example.test\n")]
    [InlineData("a@b@example.test")]
    [InlineData("a@-example.test")]
    [InlineData("a@example..test")]
    public void An_address_that_only_contains_an_at_sign_is_refused(string email)
    {
        Assert.False(EmailRule.IsAddress(email));
        Assert.False(new UserFormValidator().Validate(new UserForm { Email = email, IsOperator = true, Password = "Browser-Demo-2026" }).IsValid);
    }

    [Theory]
    [InlineData("admin@company-a.test")]
    [InlineData("first.last+tag@mail.example.com")]
    public void An_ordinary_address_passes(string email) => Assert.True(EmailRule.IsAddress(email));
}
