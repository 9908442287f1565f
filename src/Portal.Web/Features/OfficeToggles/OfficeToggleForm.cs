using FluentValidation;
using Portal.Asterisk.Dialplan;
using Portal.Web.Components.Shared;
using Portal.Web.Data;

namespace Portal.Web.Features.OfficeToggles;

/// <summary>A new toggle of a tenant: its name on the switch, and the app value of its flag row.</summary>
public sealed class OfficeToggleForm
{
    public string Name { get; set; } = OfficeToggle.DefaultName;

    /// <summary>The flag row's <c>app</c>; by default the tenant key, as the classic *20/*21 steps use it.</summary>
    public string Key { get; set; } = "";
}

public sealed class OfficeToggleFormValidator : FormValidator<OfficeToggleForm>
{
    public OfficeToggleFormValidator(RealtimeSchema schema)
    {
        RuleFor(t => t.Name).NotEmpty().WithMessage("Name: it labels the switch.").MaximumLength(60).SingleLine("Name");
        RuleFor(t => t.Key).NotEmpty().WithMessage("Key: the flag row's app value.")
            // It is an argument of RealTimeUpdate(extensions|app|<key>|appdata|on): no pipes, commas or spaces.
            .Matches(@"^[A-Za-z0-9][A-Za-z0-9_-]*\z").WithMessage("Key: letters, digits, '_' and '-' only (it is an argument of RealTimeUpdate).")
            .Must(k => k.Length <= schema.MaxLength("extensions", "app")).WithMessage(_ => $"Key: at most {schema.MaxLength("extensions", "app")} characters (extensions.app).")
            // A flip is UPDATE ... WHERE app = <key>, and MySQL compares without case: a key named like an application
            // would rewrite the appdata of every step that runs it.
            .Must(k => ApplicationCatalog.Find(k) is null).WithMessage(t => $"Key: {t.Key} is an Asterisk application; a flip would rewrite the arguments of every {t.Key} step.");
    }
}
