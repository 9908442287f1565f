using FluentValidation;
using Portal.Web.Components.Shared;
using Portal.Web.Data;

namespace Portal.Web.Features.Pins;

/// <summary>The PIN form: the user types the digits; the row stores <c>&lt;accountcode&gt;-&lt;digits&gt;</c>.</summary>
public sealed class PinForm
{
    /// <summary>The tenant's accountcode. The commands fill it in from the tenant, never from the page.</summary>
    public string Accountcode { get; set; } = "";

    /// <summary>What a caller keys in after the prompt. On an edit, empty keeps the current PIN.</summary>
    public string Digits { get; set; } = "";

    public bool Active { get; set; } = true;

    /// <summary>An edit of an existing PIN, where empty digits mean "keep".</summary>
    public bool IsEdit { get; set; }

    /// <summary>The PIN's fingerprint when the form was opened (<see cref="PinDetail.Original"/>); null on a new PIN.</summary>
    public string? Original { get; set; }

    /// <summary>The value of <c>pins.pin</c>, the form the dialplan looks up.</summary>
    public string Stored => $"{Accountcode}-{Digits}";

    public static string ActiveValue(bool active) => active ? "yes" : "no";
}

public sealed class PinFormValidator : FormValidator<PinForm>
{
    public const int MinDigits = 4;

    public PinFormValidator(RealtimeSchema schema)
    {
        RuleFor(p => p.Accountcode).NotEmpty()
            .WithMessage("This tenant has no accountcode yet, and PINs are stored as <accountcode>-<digits>: an operator sets it on the Tenants page.");
        RuleFor(p => p.Digits).NotEmpty().When(p => !p.IsEdit).WithMessage("PIN: type the digits.");
        RuleFor(p => p.Digits)
            .Matches(@"^[0-9]+\z").WithMessage("PIN: digits only (a caller keys it in on the phone).")
            .MinimumLength(MinDigits).WithMessage($"PIN: at least {MinDigits} digits.")
            .Must((form, _) => form.Stored.Length <= schema.MaxLength("pins", "pin"))
            .WithMessage(form => $"PIN: at most {MaxDigits(schema, form.Accountcode)} digits: pins.pin holds {schema.MaxLength("pins", "pin")} characters, '{form.Accountcode}-' included.")
            .When(p => p.Digits.Length > 0);
    }

    /// <summary>The most digits that fit in <c>pins.pin</c> after the accountcode and its dash.</summary>
    public static int MaxDigits(RealtimeSchema schema, string accountcode) => schema.MaxLength("pins", "pin") - accountcode.Length - 1;
}

/// <summary>How many random PINs to make at once, and how long.</summary>
public sealed class PinGenerateForm
{
    public const int MaxCount = 100_000;

    /// <summary>The tenant's accountcode, filled in by the commands.</summary>
    public string Accountcode { get; set; } = "";

    public int Count { get; set; } = 10;

    public int Length { get; set; } = 6;

    public bool Active { get; set; } = true;
}

public sealed class PinGenerateFormValidator : FormValidator<PinGenerateForm>
{
    public PinGenerateFormValidator(RealtimeSchema schema)
    {
        RuleFor(g => g.Accountcode).NotEmpty()
            .WithMessage("This tenant has no accountcode yet, and PINs are stored as <accountcode>-<digits>: an operator sets it on the Tenants page.");
        RuleFor(g => g.Count).InclusiveBetween(1, PinGenerateForm.MaxCount).WithMessage($"Count: 1 to {PinGenerateForm.MaxCount:N0} PINs at once.");
        RuleFor(g => g.Length).GreaterThanOrEqualTo(PinFormValidator.MinDigits).WithMessage($"Digits: at least {PinFormValidator.MinDigits}.")
            .Must((g, length) => length <= PinFormValidator.MaxDigits(schema, g.Accountcode))
            .WithMessage(g => $"Digits: at most {PinFormValidator.MaxDigits(schema, g.Accountcode)}: pins.pin holds {schema.MaxLength("pins", "pin")} characters, '{g.Accountcode}-' included.");
    }
}
