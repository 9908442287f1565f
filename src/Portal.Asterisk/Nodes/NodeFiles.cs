using System.Text;

namespace Portal.Asterisk.Nodes;

/// <param name="Name">The file's name in the download.</param>
/// <param name="InstallTo">Where it goes on the node, or what to do with it.</param>
public sealed record NodeFile(string Name, string InstallTo, string Text);

/// <summary>Something the operator does on the node, with the shell command that does it.</summary>
public sealed record NodeStep(string What, string Command);

/// <summary>Every file a node needs, what to do with them, and what to watch out for.</summary>
public static class NodeFiles
{
    public const string SetupFileName = "SETUP.txt";

    /// <exception cref="ArgumentException">The spec has <see cref="NodeSpec.Problems"/>.</exception>
    public static IReadOnlyList<NodeFile> All(NodeSpec spec)
    {
        if (spec.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(spec));
        }
        var client = Client(spec);
        List<NodeFile> files =
        [
            new(SetupFileName, "read first", Setup(spec)),
            new(ReplicaFiles.SettingsFileName, ReplicaFiles.SettingsPath(spec), ReplicaFiles.Settings(spec)),
            new(ReplicaFiles.AttachFileName, $"run once on the node: {client} -uroot < {ReplicaFiles.AttachFileName}", ReplicaFiles.AttachStatements(spec)),
            new(spec.Asterisk.MysqlDriverFile, "/etc/asterisk/" + spec.Asterisk.MysqlDriverFile, AsteriskFiles.MysqlDriver(spec)),
            new(AsteriskFiles.ExtConfigFileName, "/etc/asterisk/" + AsteriskFiles.ExtConfigFileName, AsteriskFiles.ExtConfig(spec)),
            new(AsteriskFiles.SipRealtimeFileName, $"/etc/asterisk/{AsteriskFiles.SipRealtimeFileName}, included in [general] of sip.conf", AsteriskFiles.SipRealtime(spec)),
            new(AsteriskFiles.AsteriskConfFileName, "merged into /etc/asterisk/asterisk.conf", AsteriskFiles.AsteriskConf(spec)),
            new(AsteriskFiles.ExtensionsConfFileName, "/etc/asterisk/" + AsteriskFiles.ExtensionsConfFileName, AsteriskFiles.ExtensionsConf(spec)),
        ];
        if (spec.Manager is { } manager)
        {
            files.Add(new(AsteriskFiles.ManagerConfFileName, "/etc/asterisk/" + AsteriskFiles.ManagerConfFileName, AsteriskFiles.ManagerConf(spec, manager)));
        }
        return files;
    }

    /// <summary>What will not work, or not yet, with these files on this node.</summary>
    public static IReadOnlyList<string> Warnings(NodeSpec spec)
    {
        var warnings = new List<string>();
        if (spec.Asterisk.IgnoresPipes)
        {
            warnings.Add($"{spec.Asterisk} has no [compat] pbx_realtime option (removed in 13): it splits application arguments at ',' only, " +
                "so the '|'-separated dialplan in the database runs wrong on this node. Rewrite it with ',' first, or run Asterisk 12 or older.");
        }
        if (!spec.Asterisk.SplitsReadsAndWrites)
        {
            warnings.Add($"{spec.Asterisk}'s MySQL driver has one connection for reads and writes, and it reads the read-only replica: " +
                "registrations are not written (rtupdate=no), and RealTimeUpdate() or voicemail password changes from a phone fail on this node.");
        }
        foreach (var context in ContextList.Normalize(spec.Contexts))
        {
            if (ContextList.Unwritable(context) is { } why)
            {
                warnings.Add($"Context \"{context}\" is left out of extensions.conf ({why}); calls to it are \"not found\" on this node.");
            }
        }
        var placeholders = spec.Credentials.Placeholders().ToList();
        if (spec.Manager is { } manager)
        {
            placeholders.Add((NodeManager.SecretPlaceholder, $"{manager.User} (manager.conf: the secret given on the Nodes page)"));
        }
        if (placeholders.Count > 0)
        {
            warnings.Add("Replace the password placeholders before use: " + string.Join("; ", placeholders.Select(p => $"{p.Placeholder} for {p.Account}")) + ".");
        }
        return warnings;
    }

    public static IReadOnlyList<NodeStep> OperatorSteps(NodeSpec spec)
    {
        var client = Client(spec);
        var serverName = spec.Server == ReplicaServer.MariaDb ? "MariaDB" : "MySQL";
        var status = spec.Server == ReplicaServer.MariaDb ? "SHOW SLAVE STATUS\\G" : "SHOW REPLICA STATUS\\G";
        var asteriskFiles = string.Join(" ", spec.Asterisk.MysqlDriverFile, AsteriskFiles.ExtConfigFileName, AsteriskFiles.SipRealtimeFileName, AsteriskFiles.ExtensionsConfFileName);
        return
        [
            new($"Install the replica's settings and restart {serverName}",
                $"cp {ReplicaFiles.SettingsFileName} {ReplicaFiles.SettingsDirectory(spec)}/ && systemctl restart {(spec.Server == ReplicaServer.MariaDb ? "mariadb" : "mysql")}"),
            new($"Fill in the passwords in {ReplicaFiles.AttachFileName}, then attach the replica (once)", $"{client} -uroot < {ReplicaFiles.AttachFileName}"),
            new("Check that both replication threads run (IO and SQL: Yes) and the lag shrinks", $"{client} -uroot -e '{status}'"),
            new($"Fill in the Asterisk password in {spec.Asterisk.MysqlDriverFile}, copy the Asterisk files, add \"#include {AsteriskFiles.SipRealtimeFileName}\" " +
                $"to [general] in sip.conf and merge {AsteriskFiles.AsteriskConfFileName}", $"cp {asteriskFiles} /etc/asterisk/"),
            new("Restart Asterisk once: it reads asterisk.conf at start-up only", $"asterisk -rx '{spec.Asterisk.RestartCommand}'"),
            new("See the realtime driver connected", "asterisk -rx 'realtime mysql status'"),
            new("Whenever contexts are added or removed: install the new extensions.conf and reload the dialplan", $"asterisk -rx '{spec.Asterisk.DialplanReloadCommand}'"),
            new("After peers change in the portal: drop the cached peers, so the next call loads them fresh", "asterisk -rx 'sip prune realtime all'"),
        ];
    }

    private static string Setup(NodeSpec spec)
    {
        var text = new StringBuilder()
            .Append($"Asterisk node {spec.Name} ({spec.Asterisk}, replica on {(spec.Server == ReplicaServer.MariaDb ? "MariaDB" : "MySQL 8")}, server-id {spec.ServerId})\n")
            .Append("Generated by the Asterisk Realtime Portal.\n");
        var warnings = Warnings(spec);
        if (warnings.Count > 0)
        {
            text.Append("\nWatch out:\n");
            foreach (var warning in warnings)
            {
                text.Append($"- {warning}\n");
            }
        }
        text.Append("\nOn the node:\n");
        var number = 0;
        foreach (var step in OperatorSteps(spec))
        {
            text.Append($"{++number}. {step.What}\n     {step.Command}\n");
        }
        return text.ToString();
    }

    private static string Client(NodeSpec spec) => spec.Server == ReplicaServer.MariaDb ? "mariadb" : "mysql";
}
