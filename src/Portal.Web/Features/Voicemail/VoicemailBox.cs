namespace Portal.Web.Features.Voicemail;

/// <summary>
/// A row of the realtime <c>voicemail</c> table. <see cref="Uniqueid"/> must stay as it is: app_voicemail
/// updates the password by it when a user changes it from the phone.
/// </summary>
public sealed class VoicemailBox
{
    public int Uniqueid { get; set; }
    public string CustomerId { get; set; } = "0";
    public string Context { get; set; } = "";
    public string Mailbox { get; set; } = "";
    public string Password { get; set; } = "";
    public string Fullname { get; set; } = "";
    public string Email { get; set; } = "";
    public string Pager { get; set; } = "";
    public string Tz { get; set; } = "central";
    public string Attach { get; set; } = "yes";
    public string Saycid { get; set; } = "yes";
    public string Dialout { get; set; } = "";
    public string Callback { get; set; } = "";
    public string Review { get; set; } = "no";
    public string Operator { get; set; } = "no";
    public string Envelope { get; set; } = "no";
    public string Sayduration { get; set; } = "no";
    public int Saydurationm { get; set; } = 1;
    public string Sendvoicemail { get; set; } = "no";
    public string Delete { get; set; } = "no";
    public string Nextaftercmd { get; set; } = "yes";
    public string Forcename { get; set; } = "no";
    public string Forcegreetings { get; set; } = "no";
    public string Hidefromdir { get; set; } = "yes";
    public DateTime Stamp { get; set; }
}
