using System.Text;

namespace Portal.Asterisk.Manager;

/// <summary>Writes one manager action: "Action: NAME", its headers, the ActionID that ties the response to it, a blank line.</summary>
public static class ManagerAction
{
    /// <exception cref="ArgumentException">A header value holds CR or LF: it would end the action early and start another.</exception>
    public static string Format(string action, string actionId, params (string Key, string Value)[] headers)
    {
        var text = new StringBuilder().Append("Action: ").Append(action).Append("\r\n").Append("ActionID: ").Append(actionId).Append("\r\n");
        foreach (var (key, value) in headers)
        {
            if (value.Contains('\r') || value.Contains('\n') || key.Contains('\r') || key.Contains('\n'))
            {
                throw new ArgumentException($"The manager header {key} holds a line break.", nameof(headers));
            }
            text.Append(key).Append(": ").Append(value).Append("\r\n");
        }
        return text.Append("\r\n").ToString();
    }
}
