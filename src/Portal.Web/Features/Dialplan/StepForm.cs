using FluentValidation;
using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;
using Portal.Web.Components.Shared;
using Portal.Web.Data;
using Severity = Portal.Asterisk.Severity;

namespace Portal.Web.Features.Dialplan;

/// <summary>One step as the editor edits it.</summary>
public sealed class StepForm
{
    public string Context { get; set; } = "";
    public string Exten { get; set; } = "";
    public int Priority { get; set; } = 1;
    public string App { get; set; } = "";
    public string Appdata { get; set; } = "";

    /// <summary>The step's values when the form was opened (<see cref="Fingerprint"/>); null on a new step.</summary>
    public string? Original { get; set; }

    public static string Fingerprint(ExtensionRow row) => EditConflictException.Of(row.Exten, row.Priority, row.App, row.Appdata);

    public static StepForm From(ExtensionRow row) =>
        new() { Context = row.Context, Exten = row.Exten, Priority = row.Priority, App = row.App, Appdata = row.Appdata, Original = Fingerprint(row) };

    public ExtensionRow ToRow() => new(Context, Exten, Priority, App, Appdata);
}

/// <summary>
/// The errors that stop a step from being written, for the form and for every dialplan write and import alike:
/// the rules of <see cref="StepCheck"/> (the pipe rule among them: no comma in appdata, whoever writes) and the
/// column lengths of the connected database. Warnings (an unknown application, a function inside $[ ]) are shown
/// by the editor and never stop a write.
/// </summary>
public sealed class StepFormValidator : FormValidator<StepForm>
{
    private static readonly IReadOnlySet<string> NoFlagKeys = new HashSet<string>();
    private const string ChecksKey = "StepCheck";

    public StepFormValidator(RealtimeSchema schema)
    {
        RuleFor(s => s.Context).Must(FitsColumn(schema, "context")).WithMessage(TooLong(schema, "context", s => s.Context))
            .Custom(Errors<string>(StepField.Context));
        RuleFor(s => s.Exten).Must(FitsColumn(schema, "exten")).WithMessage(TooLong(schema, "exten", s => s.Exten))
            .Custom(Errors<string>(StepField.Exten));
        RuleFor(s => s.Priority).Custom(Errors<int>(StepField.Priority));
        RuleFor(s => s.App).Must(FitsColumn(schema, "app")).WithMessage(TooLong(schema, "app", s => s.App))
            .Custom(Errors<string>(StepField.App));
        RuleFor(s => s.Appdata).Must(FitsColumn(schema, "appdata")).WithMessage(TooLong(schema, "appdata", s => s.Appdata))
            .Custom(Errors<string>(StepField.Appdata));
    }

    /// <summary>Everything to say about a step: the errors that stop a write, then warnings and notes.</summary>
    /// <param name="family">The cluster's oldest Asterisk family: what it lacks is an error (see <see cref="StepCheck.Check"/>).</param>
    public IReadOnlyList<StepFinding> Findings(ExtensionRow row, IReadOnlySet<string> flagKeys, AsteriskFamily family)
    {
        // The flag keys add notes and never errors, so this one check serves every rule's errors too.
        var checks = StepCheck.Check(row, flagKeys, family);
        var context = new ValidationContext<StepForm>(StepForm.From(row));
        context.RootContextData[ChecksKey] = checks;
        return Validate(context).Errors
            .Select(e => new StepFinding(Enum.Parse<StepField>(e.PropertyName), Severity.Error, e.ErrorMessage))
            .Concat(checks.Where(f => f.Severity != Severity.Error))
            .Distinct()
            .ToList();
    }

    private static Func<string, bool> FitsColumn(RealtimeSchema schema, string column) =>
        value => value.Length <= schema.MaxLength("extensions", column);

    private static Func<StepForm, string> TooLong(RealtimeSchema schema, string column, Func<StepForm, string> value) =>
        s => $"{column} is varchar({schema.MaxLength("extensions", column)}) in this database and this value has {value(s).Length} characters: it would not be stored.";

    /// <summary>Each field's rule reports its part of one <see cref="StepCheck"/> of the step, run once per validation.</summary>
    private static Action<T, ValidationContext<StepForm>> Errors<T>(StepField field) => (_, context) =>
    {
        if (!context.RootContextData.TryGetValue(ChecksKey, out var checks))
        {
            checks = context.RootContextData[ChecksKey] = StepCheck.Check(context.InstanceToValidate.ToRow(), NoFlagKeys);
        }
        foreach (var finding in ((IReadOnlyList<StepFinding>)checks).Where(f => f.Field == field && f.Severity == Severity.Error))
        {
            context.AddFailure(finding.Message);
        }
    };
}
