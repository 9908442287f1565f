using System.Text.RegularExpressions;

namespace Portal.Asterisk.Nodes;

/// <summary>The server the node's local replica runs: the settings and statements differ between them.</summary>
public enum ReplicaServer
{
    /// <summary>MariaDB 10.5.9 or later (the SLAVE MONITOR privilege).</summary>
    MariaDb,

    /// <summary>MySQL 8.0.26 or later (CHANGE REPLICATION SOURCE TO, the replica_* variable names).</summary>
    MySql8,
}

/// <summary>
/// The accounts a node uses. Passwords are usually left as placeholders: the portal does not keep them, and the
/// operator fills them in on the node.
/// </summary>
public sealed record NodeCredentials(
    string ReplicationUser,
    string ReplicationPassword,
    string AsteriskUser,
    string AsteriskPassword,
    string MonitorUser,
    string MonitorPassword)
{
    public const string ReplicationPasswordPlaceholder = "<repl-password>";
    public const string AsteriskPasswordPlaceholder = "<asterisk-password>";
    public const string MonitorPasswordPlaceholder = "<monitor-password>";

    public static NodeCredentials WithPlaceholders(string replicationUser, string asteriskUser, string monitorUser) =>
        new(replicationUser, ReplicationPasswordPlaceholder, asteriskUser, AsteriskPasswordPlaceholder, monitorUser, MonitorPasswordPlaceholder);

    /// <summary>The placeholders still in these credentials, each with the account it stands for.</summary>
    public IEnumerable<(string Placeholder, string Account)> Placeholders()
    {
        if (ReplicationPassword == ReplicationPasswordPlaceholder)
        {
            yield return (ReplicationPasswordPlaceholder, $"{ReplicationUser} (replication, on the master)");
        }
        if (AsteriskPassword == AsteriskPasswordPlaceholder)
        {
            yield return (AsteriskPasswordPlaceholder, $"{AsteriskUser} (Asterisk, on the master and on this node's replica)");
        }
        if (MonitorPassword == MonitorPasswordPlaceholder)
        {
            yield return (MonitorPasswordPlaceholder, $"{MonitorUser} (the portal's monitor account, as in its Replication settings)");
        }
    }
}

/// <summary>
/// Where the portal reaches the node's manager interface (AMI). The secret is never in the generated files: the portal
/// keeps it encrypted and the operator types it on the node in place of <see cref="SecretPlaceholder"/>.
/// </summary>
/// <param name="Host">The address manager.conf binds to and the portal connects to.</param>
public sealed record NodeManager(string Host, int Port, string User)
{
    public const string SecretPlaceholder = "<manager-secret>";

    public const int DefaultPort = 5038;

    /// <summary>
    /// The classes the portal's actions need and no more. Write: <c>command</c> for the Command action (prune, show,
    /// reload), <c>system</c> and <c>reporting</c> for CoreSettings, CoreStatus and SIPpeers. Read: <c>system</c> for
    /// Reload, PeerStatus and FullyBooted events, <c>call</c> for the channel events that change the calls up.
    /// No <c>originate</c>, <c>config</c> (GetConfig/UpdateConfig could read the MySQL password) or <c>agent</c>.
    /// </summary>
    public const string ReadClasses = "system,call";

    public const string WriteClasses = "system,command,reporting";
}

/// <summary>
/// Everything the generated files of one Asterisk node depend on.
/// </summary>
/// <param name="Name">The node's name: its report_host, its asterisk.conf systemname, and so sip.regserver.</param>
/// <param name="ServerId">Unique among every server replicating from the master, or the master drops one of them.</param>
/// <param name="ReplicaHost">Where the portal reaches the node's replica; Asterisk itself always uses 127.0.0.1.</param>
/// <param name="ReplicaPort">The replica's port, the same for the portal and for Asterisk.</param>
/// <param name="MasterHost">The master as the node reaches it (for replication and for Asterisk's writes).</param>
/// <param name="Database">The realtime database: asteriskdb.</param>
/// <param name="Contexts">The dialplan contexts in the database; each gets a realtime switch stanza.</param>
/// <param name="MonitorFrom">The host part of the monitor account: where the portal connects from.</param>
/// <param name="SipRealm">The digest realm the portal's md5secret values are made with (SipPeers:Realm).</param>
public sealed partial record NodeSpec(
    string Name,
    int ServerId,
    string ReplicaHost,
    int ReplicaPort,
    string MasterHost,
    int MasterPort,
    string Database,
    AsteriskFamily Asterisk,
    ReplicaServer Server,
    IReadOnlyList<string> Contexts,
    NodeCredentials Credentials,
    string MonitorFrom = "%",
    string SipRealm = Sip.Md5Secret.DefaultRealm,
    NodeManager? Manager = null)
{
    /// <summary>res_config_mysql copies host, database, user and password into char[50] buffers: the rest is cut off.</summary>
    public const int DriverFieldLimit = 49;

    public const string NodeNameRule = "The node name must be 1 to 40 letters, digits, '-' or '_' (it becomes report_host and asterisk.conf's systemname).";

    /// <summary>What makes the spec unusable, in words an operator can act on; empty when the files can be generated.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!IsNodeName(Name))
        {
            problems.Add(NodeNameRule);
        }
        if (ServerId < 1)
        {
            // 0 makes a MariaDB or MySQL server refuse to replicate at all.
            problems.Add("server-id must be 1 or more.");
        }
        CheckHost(problems, "The replica host", ReplicaHost);
        CheckHost(problems, "The master host", MasterHost);
        CheckPort(problems, "The replica port", ReplicaPort);
        CheckPort(problems, "The master port", MasterPort);
        if (Manager is not null)
        {
            CheckHost(problems, "The manager host", Manager.Host);
            CheckPort(problems, "The manager port", Manager.Port);
            if (!AccountName().IsMatch(Manager.User))
            {
                problems.Add("The manager user must be 1 to 32 letters, digits, '-' or '_' (it becomes a manager.conf section).");
            }
        }
        if (!Identifier().IsMatch(Database))
        {
            problems.Add("The database name must be letters, digits and '_'.");
        }
        if (!MonitorHost().IsMatch(MonitorFrom))
        {
            problems.Add("The monitor account's host must be a host name, an address or a pattern with '%'.");
        }
        foreach (var (what, value) in new[]
        {
            ("replication user", Credentials.ReplicationUser), ("Asterisk user", Credentials.AsteriskUser), ("monitor user", Credentials.MonitorUser),
        })
        {
            if (!AccountName().IsMatch(value))
            {
                problems.Add($"The {what} must be 1 to 32 letters, digits, '-' or '_'.");
            }
        }
        foreach (var (what, value) in new[]
        {
            ("replication password", Credentials.ReplicationPassword), ("Asterisk password", Credentials.AsteriskPassword), ("monitor password", Credentials.MonitorPassword),
        })
        {
            if (value.Length == 0 || value.Any(char.IsControl))
            {
                problems.Add($"The {what} must not be empty or hold control characters.");
            }
        }
        if (SipRealm.Length == 0 || SipRealm.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is ';' or '"'))
        {
            problems.Add("The SIP realm (SipPeers:Realm) must not be empty or hold spaces, control characters, ';' or '\"': chan_sip sends it quoted in its challenge.");
        }
        if (Credentials.AsteriskPassword.Trim() != Credentials.AsteriskPassword)
        {
            problems.Add("The Asterisk password must not start or end with a space: Asterisk's config parser trims it.");
        }
        foreach (var (what, value) in new[]
        {
            ("master host", MasterHost), ("database name", Database), ("Asterisk user", Credentials.AsteriskUser), ("Asterisk password", Credentials.AsteriskPassword),
        })
        {
            if (value.Length > DriverFieldLimit)
            {
                problems.Add($"The {what} is longer than {DriverFieldLimit} characters, and res_config_mysql silently cuts it there.");
            }
        }
        return problems;
    }

    public static bool IsNodeName(string name) => NodeName().IsMatch(name);

    /// <summary>Why a host cannot be written into the files, or null when it can.</summary>
    public static string? HostProblem(string what, string host) =>
        !HostName().IsMatch(host) ? $"{what} must be a host name or an IP address."
        : host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? $"{what} must not be 'localhost': MySQL clients then use the unix socket and ignore the port; use 127.0.0.1."
        : null;

    private static void CheckHost(List<string> problems, string what, string host)
    {
        if (HostProblem(what, host) is { } problem)
        {
            problems.Add(problem);
        }
    }

    private static void CheckPort(List<string> problems, string what, int port)
    {
        if (port is < 1 or > 65535)
        {
            problems.Add($"{what} must be between 1 and 65535.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,40}\z")]
    private static partial Regex NodeName();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,32}\z")]
    private static partial Regex AccountName();

    [GeneratedRegex(@"^[A-Za-z0-9_]{1,64}\z")]
    private static partial Regex Identifier();

    // Host names, IPv4 and IPv6 addresses; nothing that could end a quoted value or a config line.
    [GeneratedRegex(@"^[A-Za-z0-9.:-]{1,255}\z")]
    private static partial Regex HostName();

    [GeneratedRegex(@"^[A-Za-z0-9.:%_-]{1,255}\z")]
    private static partial Regex MonitorHost();
}
