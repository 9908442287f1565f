using FluentValidation;
using Portal.Web.Components.Shared;
using Portal.Web.Data;

namespace Portal.Web.Features.Voicemail;

/// <summary>
/// The mailbox form. The yes/no columns are switches with the classic defaults. The password is write-only: empty
/// on an edit keeps the stored one, because a user may have changed it from the phone since the form was opened.
/// </summary>
public sealed class VoicemailForm
{
    public string Context { get; set; } = "";
    public string Mailbox { get; set; } = "";

    /// <summary>A new password; empty on an edit keeps the current one.</summary>
    public string Password { get; set; } = "";

    public string Fullname { get; set; } = "";
    public string Email { get; set; } = "";
    public string Pager { get; set; } = "";
    public string Tz { get; set; } = "central";
    public string Dialout { get; set; } = "";
    public string Callback { get; set; } = "";
    public int Saydurationm { get; set; } = 1;
    public bool Attach { get; set; } = true;
    public bool Saycid { get; set; } = true;
    public bool Review { get; set; }
    public bool Operator { get; set; }
    public bool Envelope { get; set; }
    public bool Sayduration { get; set; }
    public bool Sendvoicemail { get; set; }
    public bool Delete { get; set; }
    public bool Nextaftercmd { get; set; } = true;
    public bool Forcename { get; set; }
    public bool Forcegreetings { get; set; }
    public bool Hidefromdir { get; set; } = true;

    /// <summary>An edit of an existing box, where an empty password keeps the stored one.</summary>
    public bool IsEdit { get; set; }

    /// <summary>The box's values when the form was opened (<see cref="EditConflictException.Of"/>); null on a new box.</summary>
    public string? Original { get; set; }

    /// <summary>The columns the form edits, as a fingerprint: the password is left out, as the user changes it from the phone.</summary>
    public static string Fingerprint(VoicemailBox box) =>
        EditConflictException.Of(box.Context, box.Mailbox, box.Fullname, box.Email, box.Pager, box.Tz, box.Dialout, box.Callback, box.Saydurationm,
            box.Attach, box.Saycid, box.Review, box.Operator, box.Envelope, box.Sayduration, box.Sendvoicemail, box.Delete, box.Nextaftercmd,
            box.Forcename, box.Forcegreetings, box.Hidefromdir);

    public static VoicemailForm From(VoicemailBox box) => new()
    {
        IsEdit = true,
        Original = Fingerprint(box),
        Context = box.Context,
        Mailbox = box.Mailbox,
        Fullname = box.Fullname,
        Email = box.Email,
        Pager = box.Pager,
        Tz = box.Tz,
        Dialout = box.Dialout,
        Callback = box.Callback,
        Saydurationm = box.Saydurationm,
        Attach = Yes(box.Attach),
        Saycid = Yes(box.Saycid),
        Review = Yes(box.Review),
        Operator = Yes(box.Operator),
        Envelope = Yes(box.Envelope),
        Sayduration = Yes(box.Sayduration),
        Sendvoicemail = Yes(box.Sendvoicemail),
        Delete = Yes(box.Delete),
        Nextaftercmd = Yes(box.Nextaftercmd),
        Forcename = Yes(box.Forcename),
        Forcegreetings = Yes(box.Forcegreetings),
        Hidefromdir = Yes(box.Hidefromdir),
    };

    /// <summary>Copies the form onto the row; <c>uniqueid</c> and (when left empty) the password stay as they are.</summary>
    public void ApplyTo(VoicemailBox box, string customerId)
    {
        box.CustomerId = customerId;
        box.Context = Context;
        box.Mailbox = Mailbox;
        if (Password.Length > 0)
        {
            box.Password = Password;
        }
        box.Fullname = Fullname;
        box.Email = Email;
        box.Pager = Pager;
        box.Tz = Tz;
        box.Dialout = Dialout;
        box.Callback = Callback;
        box.Saydurationm = Saydurationm;
        box.Attach = YesNo(Attach);
        box.Saycid = YesNo(Saycid);
        box.Review = YesNo(Review);
        box.Operator = YesNo(Operator);
        box.Envelope = YesNo(Envelope);
        box.Sayduration = YesNo(Sayduration);
        box.Sendvoicemail = YesNo(Sendvoicemail);
        box.Delete = YesNo(Delete);
        box.Nextaftercmd = YesNo(Nextaftercmd);
        box.Forcename = YesNo(Forcename);
        box.Forcegreetings = YesNo(Forcegreetings);
        box.Hidefromdir = YesNo(Hidefromdir);
    }

    // app_voicemail reads these with ast_true(), which also takes "true", "1" and "on".
    private static bool Yes(string value) => value.Trim().ToLowerInvariant() is "yes" or "true" or "y" or "t" or "1" or "on";

    private static string YesNo(bool value) => value ? "yes" : "no";
}

public sealed class VoicemailFormValidator : FormValidator<VoicemailForm>
{
    /// <summary>Four digits where the column allows them; the classic varchar(5) allows five at most.</summary>
    public const int MinPasswordDigits = 4;

    public VoicemailFormValidator(RealtimeSchema schema, VoicemailOptions options)
    {
        RuleFor(v => v.Context).NotEmpty().WithMessage("Context: choose one.")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "context")).WithMessage(_ => $"Context: at most {schema.MaxLength("voicemail", "context")} characters.");
        RuleFor(v => v.Mailbox).NotEmpty().WithMessage("Mailbox: type its number.")
            .Matches(@"^[0-9]+\z").WithMessage("Mailbox: digits only (callers dial it).")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "mailbox")).WithMessage(_ => $"Mailbox: at most {schema.MaxLength("voicemail", "mailbox")} digits.");
        RuleFor(v => v.Password).NotEmpty().When(v => !v.IsEdit).WithMessage("Password: a new mailbox needs one.");
        RuleFor(v => v.Password)
            .Matches(@"^[0-9]+\z").WithMessage("Password: digits only (it is keyed in on the phone).")
            .Must(v => v.Length >= Math.Min(MinPasswordDigits, schema.MaxLength("voicemail", "password")))
            .WithMessage(_ => $"Password: at least {Math.Min(MinPasswordDigits, schema.MaxLength("voicemail", "password"))} digits.")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "password"))
            .WithMessage(_ => $"Password: at most {schema.MaxLength("voicemail", "password")} digits (voicemail.password is varchar({schema.MaxLength("voicemail", "password")})).")
            .When(v => v.Password.Length > 0);
        RuleFor(v => v.Fullname).NotEmpty().WithMessage("Full name: the directory reads it out.")
            .SingleLine("Full name")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "fullname")).WithMessage(_ => $"Full name: at most {schema.MaxLength("voicemail", "fullname")} characters.")
            .ReadsBackAsTyped();
        RuleFor(v => v.Email).MailAddress().WithMessage("Email: not a valid address.")
            .SingleLine("Email")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "email")).WithMessage(_ => $"Email: at most {schema.MaxLength("voicemail", "email")} characters.")
            .ReadsBackAsTyped()
            .When(v => v.Email.Length > 0);
        RuleFor(v => v.Pager).MailAddress().WithMessage("Pager: not a valid address.")
            .SingleLine("Pager")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "pager")).WithMessage(_ => $"Pager: at most {schema.MaxLength("voicemail", "pager")} characters.")
            .ReadsBackAsTyped()
            .When(v => v.Pager.Length > 0);
        RuleFor(v => v.Tz).Must(v => options.Zones.Contains(v)).WithMessage(_ => $"Time zone: one of {string.Join(", ", options.Zones)}.")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "tz")).WithMessage(_ => $"Time zone: at most {schema.MaxLength("voicemail", "tz")} characters.");
        RuleFor(v => v.Dialout).Matches(@"^[A-Za-z0-9_-]*\z").WithMessage("Dial-out context: letters, digits, '_' and '-' only.")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "dialout")).WithMessage(_ => $"Dial-out context: at most {schema.MaxLength("voicemail", "dialout")} characters.");
        RuleFor(v => v.Callback).Matches(@"^[A-Za-z0-9_-]*\z").WithMessage("Callback context: letters, digits, '_' and '-' only.")
            .Must(v => v.Length <= schema.MaxLength("voicemail", "callback")).WithMessage(_ => $"Callback context: at most {schema.MaxLength("voicemail", "callback")} characters.");
        RuleFor(v => v.Saydurationm).InclusiveBetween(0, 127).WithMessage("Say duration from: 0 to 127 minutes (a tinyint).");
    }
}
