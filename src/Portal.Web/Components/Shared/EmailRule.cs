using System.Text.RegularExpressions;
using FluentValidation;

namespace Portal.Web.Components.Shared;

/// <summary>
/// An email address a mail server can deliver to: a local part without spaces, control characters or a second '@',
/// and a domain of dot-separated host labels. FluentValidation's <c>EmailAddress()</c> only looks for an '@'
/// somewhere inside, which let <c>a@b</c>, <c>x y@z</c> and a trailing line feed through.
/// </summary>
public static partial class EmailRule
{
    [GeneratedRegex(@"^[^@\s\p{C}]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z")]
    private static partial Regex Address();

    public static bool IsAddress(string value) => Address().IsMatch(value);

    public static IRuleBuilderOptions<T, string> MailAddress<T>(this IRuleBuilder<T, string> rule) => rule.Must(IsAddress);
}
