namespace Portal.Asterisk.Manager;

/// <summary>
/// One message of the Asterisk manager interface (AMI): its "Key: Value" headers in order, and for the response to a
/// <c>Command</c> action ("Response: Follows") the CLI output lines Asterisk 11 sends before <c>--END COMMAND--</c>.
/// </summary>
public sealed class ManagerMessage(IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyList<string> output)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    public IReadOnlyList<string> Output { get; } = output;

    /// <summary>The first value of a header (keys compare case-insensitively, as Asterisk's own astman_get_header does).</summary>
    public string? this[string key] => Headers.FirstOrDefault(h => h.Key.Equals(key, StringComparison.OrdinalIgnoreCase)).Value;

    public string? ActionId => this["ActionID"];

    /// <summary>An unsolicited event (e.g. PeerStatus, FullyBooted); responses have "Response:" instead.</summary>
    public bool IsEvent => this["Event"] is not null && this["Response"] is null;

    /// <summary>"Success" or "Follows"; "Error" carries the reason in "Message".</summary>
    public bool IsSuccess => this["Response"] is { } r && (r.Equals("Success", StringComparison.OrdinalIgnoreCase) || r.Equals("Follows", StringComparison.OrdinalIgnoreCase));
}
