using FluentValidation;
using Portal.Asterisk.Dialplan;
using Portal.Web.Components.Shared;
using Portal.Web.Data;

namespace Portal.Web.Features.Tenants;

public sealed class TenantForm
{
    public string Key { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The prefix of the tenant's stored PINs (<c>1111</c> in <c>1111-4321</c>); may stay empty until it has PINs.</summary>
    public string Accountcode { get; set; } = "";

    /// <summary>The tenant's dialplan and voicemail contexts, one per line.</summary>
    public string Contexts { get; set; } = "";

    /// <summary>The tenant's values when the form was opened (<see cref="Fingerprint"/>); null on a new tenant.</summary>
    public string? Original { get; set; }

    public static string Fingerprint(Tenant tenant) =>
        EditConflictException.Of(tenant.Name, tenant.Accountcode, tenant.Contexts.Select(c => c.Context).Order(StringComparer.Ordinal).ToList());

    public static TenantForm From(Tenant tenant) => new()
    {
        Key = tenant.Key,
        Name = tenant.Name,
        Accountcode = tenant.Accountcode ?? "",
        Contexts = string.Join("\n", tenant.Contexts.Select(c => c.Context).Order(StringComparer.Ordinal)),
        Original = Fingerprint(tenant),
    };

    public IReadOnlyList<string> ContextList =>
        Contexts.Split(['\n', '\r', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
}

public sealed class TenantFormValidator : AbstractValidator<TenantForm>
{
    public TenantFormValidator()
    {
        // The key lands in voicemail.customer_id (varchar(11)), pins.company and extensions.app (the flag row).
        RuleFor(t => t.Key).NotEmpty().MaximumLength(11)
            .Matches(@"^[a-z0-9][a-z0-9-]*\z").WithMessage("Key: lower-case letters, digits and '-', starting with a letter or digit (it is stored in pins.company and voicemail.customer_id).")
            // The key is also the app of the tenant's office-closed flag row, and a flip updates every row with that app.
            .Must(k => ApplicationCatalog.Find(k) is null).WithMessage(t => $"Key: {t.Key} is an Asterisk application; the office-closed switch would rewrite every {t.Key} step.");
        // Room for "<accountcode>-" and at least four digits in pins.pin varchar(20); no '-' so the stored PIN splits cleanly.
        RuleFor(t => t.Accountcode).Matches(@"^[A-Za-z0-9]*\z").WithMessage("Accountcode: letters and digits only (PINs are stored as <accountcode>-<digits>).")
            .MaximumLength(15).WithMessage("Accountcode: at most 15 characters, so that '<accountcode>-' and a PIN fit in pins.pin.");
        RuleFor(t => t.Name).NotEmpty().MaximumLength(100).SingleLine("Name");
        RuleForEach(t => t.ContextList).MaximumLength(20).WithMessage("Context '{PropertyValue}' is longer than extensions.context allows (20).")
            .Matches(@"^[A-Za-z0-9_-]+\z").WithMessage("Context '{PropertyValue}': letters, digits, '_' and '-' only.")
            .OverridePropertyName("Contexts");
    }
}

public sealed class UserForm
{
    public string Email { get; set; } = "";
    public bool IsOperator { get; set; }
    public int? TenantId { get; set; }
    public string Password { get; set; } = "";
}

public sealed class UserFormValidator : AbstractValidator<UserForm>
{
    public UserFormValidator()
    {
        RuleFor(u => u.Email).NotEmpty().MailAddress().WithMessage("Email: not a valid address.").MaximumLength(256);
        RuleFor(u => u.TenantId).NotNull().When(u => !u.IsOperator).WithMessage("A tenant admin needs a tenant.");
        RuleFor(u => u.TenantId).Null().When(u => u.IsOperator).WithMessage("An operator belongs to no tenant.");
        RuleFor(u => u.Password).NotEmpty().MinimumLength(12);
    }
}
