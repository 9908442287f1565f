namespace Portal.Asterisk.Manager;

/// <summary>
/// Turns the manager interface's lines into messages: "Key: Value" lines, a blank line ends a message. Feed it lines
/// as they arrive (without their CR LF); it holds at most <see cref="MaxLines"/> lines of one message, so a node that
/// never ends a message cannot grow the portal's memory.
/// </summary>
public sealed class ManagerReader
{
    public const string BannerPrefix = "Asterisk Call Manager/";

    /// <summary>What ends the output of a Command action in Asterisk 11 (it may follow the last output line directly).</summary>
    public const string EndCommand = "--END COMMAND--";

    /// <summary>More lines than `sip show peers` gives for thousands of peers; a message longer than this is garbage.</summary>
    public const int MaxLines = 20_000;

    private readonly List<KeyValuePair<string, string>> headers = [];
    private readonly List<string> output = [];
    private bool follows;
    private bool inOutput;

    /// <summary>The manager version in the greeting a node sends first ("Asterisk Call Manager/1.3"), or null when the line is anything else.</summary>
    public static string? BannerVersion(string line) =>
        line.StartsWith(BannerPrefix, StringComparison.Ordinal) && line.Length > BannerPrefix.Length ? line[BannerPrefix.Length..].Trim() : null;

    /// <summary>Takes one line; returns the message it completes, or null.</summary>
    /// <exception cref="ManagerProtocolException">The line cannot be part of a manager message.</exception>
    public ManagerMessage? Feed(string line)
    {
        if (headers.Count + output.Count >= MaxLines)
        {
            throw new ManagerProtocolException($"a message of more than {MaxLines} lines");
        }
        if (follows)
        {
            return FeedOutput(line);
        }
        if (line.Length == 0)
        {
            return headers.Count == 0 ? null : Complete();
        }
        var colon = line.IndexOf(':');
        if (colon <= 0)
        {
            throw new ManagerProtocolException($"a line that is not \"Key: Value\": {Shorten(line)}");
        }
        var key = line[..colon];
        var value = line[(colon + 1)..].TrimStart();
        headers.Add(new(key, value));
        if (key.Equals("Response", StringComparison.OrdinalIgnoreCase) && value.Equals("Follows", StringComparison.OrdinalIgnoreCase))
        {
            follows = true;
        }
        return null;
    }

    // After "Response: Follows": Privilege and ActionID headers, then raw CLI output (which may hold ':' and blank
    // lines) up to the end marker and the blank line after it.
    private ManagerMessage? FeedOutput(string line)
    {
        if (!inOutput && line.IndexOf(':') is var colon and > 0 && line[..colon] is "Privilege" or "ActionID")
        {
            headers.Add(new(line[..colon], line[(colon + 1)..].TrimStart()));
            return null;
        }
        inOutput = true;
        if (line.EndsWith(EndCommand, StringComparison.Ordinal))
        {
            var rest = line[..^EndCommand.Length];
            if (rest.Length > 0)
            {
                output.Add(rest);
            }
            follows = false;
            return null;
        }
        output.Add(line);
        return null;
    }

    private ManagerMessage Complete()
    {
        var message = new ManagerMessage(headers.ToList(), output.ToList());
        headers.Clear();
        output.Clear();
        inOutput = false;
        return message;
    }

    private static string Shorten(string line) => line.Length > 60 ? line[..60] + "..." : line;
}

public sealed class ManagerProtocolException(string message) : Exception(message);
