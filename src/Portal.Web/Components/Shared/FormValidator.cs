using FluentValidation;

namespace Portal.Web.Components.Shared;

/// <summary>
/// A FluentValidation validator a <c>MudForm</c> can use field by field (<c>Validation="@(validator.ValidateValue)"</c>),
/// so the form shows the very rules the commands enforce again on the server.
/// </summary>
public abstract class FormValidator<T> : AbstractValidator<T>
{
    public Func<object, string, Task<IEnumerable<string>>> ValidateValue => async (model, propertyName) =>
    {
        var result = await ValidateAsync(ValidationContext<T>.CreateWithOptions((T)model, o => o.IncludeProperties(propertyName)));
        return result.IsValid ? [] : result.Errors.Select(e => e.ErrorMessage);
    };
}

public static class SingleLineRule
{
    /// <summary>No CR, LF, NUL, TAB or other control character (<see cref="Portal.Asterisk.ControlCharacters"/>).</summary>
    public static IRuleBuilderOptions<T, string> SingleLine<T>(this IRuleBuilder<T, string> rule, string label) =>
        rule.Must(v => Portal.Asterisk.ControlCharacters.IndexIn(v ?? "") < 0)
            .WithMessage((_, v) => $"{label}: {Portal.Asterisk.ControlCharacters.Problem(v)}.");
}
