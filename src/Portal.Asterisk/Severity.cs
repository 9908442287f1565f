namespace Portal.Asterisk;

/// <summary>How much a finding matters: an Error breaks the dialplan or cannot be stored, a Warning
/// works but probably not as meant, Info only says what was left out on purpose.</summary>
public enum Severity
{
    Error,
    Warning,
    Info,
}
