using System.Text.RegularExpressions;

namespace Portal.Asterisk.Manager;

/// <summary>The only CLI commands the portal sends a node (through the manager's Command action): no free-form CLI.</summary>
public enum NodeAction
{
    /// <summary><c>dialplan reload</c>: rebuilds the static dialplan (and its realtime switches).</summary>
    DialplanReload,

    /// <summary><c>module reload NAME</c>, for one of <see cref="NodeActions.ReloadableModules"/>.</summary>
    ModuleReload,

    /// <summary><c>sip prune realtime peer NAME</c>: drops a cached realtime peer, so the next call loads it fresh.</summary>
    PrunePeer,

    /// <summary><c>sip show peer NAME</c>.</summary>
    ShowPeer,

    /// <summary><c>core show channels</c>.</summary>
    ShowChannels,
}

public static partial class NodeActions
{
    /// <summary>The modules whose configuration the portal's files or database rows feed.</summary>
    public static readonly IReadOnlyList<string> ReloadableModules =
        ["chan_sip.so", "pbx_config.so", "pbx_realtime.so", "res_config_mysql.so", "app_voicemail.so", "func_realtime.so"];

    /// <summary>Whether the action changes the node (audited like every write) or only reads it.</summary>
    public static bool Changes(NodeAction action) => action is NodeAction.DialplanReload or NodeAction.ModuleReload or NodeAction.PrunePeer;

    public static bool TakesArgument(NodeAction action) => action is NodeAction.ModuleReload or NodeAction.PrunePeer or NodeAction.ShowPeer;

    /// <summary>The CLI command for the action and its argument, or why it is refused.</summary>
    public static (string? Command, string? Problem) Command(NodeAction action, string? argument)
    {
        argument = argument?.Trim() ?? "";
        return action switch
        {
            NodeAction.DialplanReload => ("dialplan reload", null),
            NodeAction.ShowChannels => ("core show channels", null),
            NodeAction.ModuleReload => ReloadableModules.Contains(argument, StringComparer.Ordinal)
                ? ($"module reload {argument}", null)
                : (null, $"Module: one of {string.Join(", ", ReloadableModules)}."),
            NodeAction.PrunePeer or NodeAction.ShowPeer => PeerName().IsMatch(argument) && argument is not ("all" or "like")
                ? ($"{(action == NodeAction.PrunePeer ? "sip prune realtime peer" : "sip show peer")} {argument}", null)
                : (null, "Peer: 1 to 80 letters, digits, '-', '_', '.', '+' or '@' (a sip peer's name), not 'all' or 'like' (those prune every peer)."),
            _ => (null, "That action is not one the portal sends."),
        };
    }

    // A peer name as the sip table's name column holds it; nothing that the CLI would read as a second word or option.
    [GeneratedRegex("^[A-Za-z0-9_.+@-]{1,80}$")]
    private static partial Regex PeerName();
}
