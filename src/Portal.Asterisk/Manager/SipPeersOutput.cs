namespace Portal.Asterisk.Manager;

/// <summary>What the output of <c>sip show peers</c> says.</summary>
public static class SipPeersOutput
{
    /// <summary>
    /// The peers with an address (registered, or with a fixed host): the rows between the "Name/username" heading and
    /// the "N sip peers" summary whose Host column is not "(Unspecified)".
    /// </summary>
    public static int WithAddress(IReadOnlyList<string> output) =>
        output.SkipWhile(l => !l.StartsWith("Name/username", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.Contains(" sip peers ", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Count(words => words.Length >= 2 && words[1] != "(Unspecified)");
}
