using FluentValidation;
using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;
using Portal.Web.Components.Shared;
using Portal.Web.Data;

namespace Portal.Web.Features.Dialplan;

/// <summary>What a new context starts with: a context exists in the table only while it has rows.</summary>
public enum ContextTemplate
{
    FirstStep,
    AutoAttendant,
    LongDistance,
    DirectDial,
}

/// <summary>A new context, from one of the templates or with a first step of its own.</summary>
public sealed class NewContextForm
{
    public string Context { get; set; } = "";

    /// <summary>The tenant the context is added to (tenant_contexts), so its admin sees it.</summary>
    public string? TenantKey { get; set; }

    public ContextTemplate Template { get; set; } = ContextTemplate.FirstStep;

    /// <summary>The first step's exten, or the direct-dial number.</summary>
    public string Exten { get; set; } = "s";

    public string App { get; set; } = "Answer";
    public string Appdata { get; set; } = "";

    /// <summary>Auto-attendant: the mailbox callers reach while the office is closed.</summary>
    public string ClosedMailbox { get; set; } = "";

    /// <summary>Long distance: the prefix of the tenant's PINs in <c>pins.pin</c> (accountcode-digits).</summary>
    public string Accountcode { get; set; } = "";

    public string Trunk { get; set; } = "SIP/trunk";

    /// <summary>Direct dial: the device to ring and its mailbox.</summary>
    public string Device { get; set; } = "";

    public string Mailbox { get; set; } = "";

    /// <param name="asterisk">The cluster's oldest Asterisk, which the templates are written for.</param>
    /// <param name="withFlagRow">False when the tenant has its office-closed flag row already: there must be one.</param>
    public IReadOnlyList<ExtensionRow> Rows(AsteriskFamily asterisk, bool withFlagRow) => Template switch
    {
        ContextTemplate.AutoAttendant => DialplanTemplates.AutoAttendant(Context, TenantKey ?? "", ClosedMailbox, asterisk, withFlagRow),
        ContextTemplate.LongDistance => DialplanTemplates.LongDistance(Context, Accountcode, Trunk, asterisk),
        ContextTemplate.DirectDial => DialplanTemplates.DirectDial(Context, Exten, Device, Mailbox),
        _ => [new ExtensionRow(Context, Exten, 1, App, Appdata)],
    };
}

/// <summary>The form's own fields; the rows it makes pass the step rules in the command.</summary>
public sealed class NewContextFormValidator : FormValidator<NewContextForm>
{
    public NewContextFormValidator(RealtimeSchema schema)
    {
        RuleFor(f => f.Context).ContextName(schema);
        RuleFor(f => f.TenantKey).NotEmpty().When(f => f.Template == ContextTemplate.AutoAttendant)
            .WithMessage("The auto-attendant reads its tenant's office-closed flag row: choose the tenant.");
        RuleFor(f => f.ClosedMailbox).NotEmpty().When(f => f.Template == ContextTemplate.AutoAttendant)
            .WithMessage("Name the mailbox callers reach while the office is closed (1001@company-a).");
        RuleFor(f => f.Accountcode).NotEmpty().Matches(@"^[0-9A-Za-z]+\z").When(f => f.Template == ContextTemplate.LongDistance)
            .WithMessage("The accountcode prefixes the tenant's PINs in pins.pin (1111 for 1111-4000): letters and digits.");
        RuleFor(f => f.Trunk).NotEmpty().When(f => f.Template == ContextTemplate.LongDistance);
        RuleFor(f => f.Device).NotEmpty().When(f => f.Template == ContextTemplate.DirectDial)
            .WithMessage("Name the device to ring (SIP/a-1001).");
        RuleFor(f => f.Mailbox).NotEmpty().When(f => f.Template == ContextTemplate.DirectDial)
            .WithMessage("Name the mailbox for unanswered calls (1001@company-a).");
    }
}

/// <summary>Renaming a context, or copying an extension (to another context and exten).</summary>
public sealed class ContextNameForm
{
    public string Context { get; set; } = "";
    public string Exten { get; set; } = "";
}

public sealed class ContextNameFormValidator : FormValidator<ContextNameForm>
{
    public ContextNameFormValidator(RealtimeSchema schema)
    {
        RuleFor(f => f.Context).ContextName(schema);
    }
}

public static class ContextNameRule
{
    /// <summary>A context name Asterisk and the connected extensions.context column both take.</summary>
    public static IRuleBuilderOptionsConditions<T, string> ContextName<T>(this IRuleBuilder<T, string> rule, RealtimeSchema schema) =>
        rule.Custom((name, context) =>
        {
            foreach (var problem in Asterisk.Dialplan.ContextName.Validate(name))
            {
                context.AddFailure(problem);
            }
            var length = schema.MaxLength("extensions", "context");
            if (name.Length > length)
            {
                context.AddFailure($"context is varchar({length}) in this database and '{name}' has {name.Length} characters.");
            }
        });
}
