using System.Text.RegularExpressions;

namespace Portal.Web.Features.Replication;

/// <summary>
/// What differs between MariaDB and MySQL 8 for watching replication: the statements, the GTID functions and
/// variables. Column names differ too; <see cref="ReplicaStatus"/> reads both spellings.
/// </summary>
public sealed partial record ServerDialect(bool IsMariaDb, Version Version)
{
    /// <summary>MySQL renamed SLAVE to REPLICA (and MASTER to SOURCE) in its statements and columns in 8.0.22.</summary>
    private static readonly Version MySqlReplicaWords = new(8, 0, 22);

    /// <summary>From the server's version string: "10.11.19-MariaDB-0+deb12u1-log", "8.0.36", "8.0.36-0ubuntu0.22.04.1".</summary>
    public static ServerDialect From(string serverVersion)
    {
        var match = VersionNumber().Match(serverVersion);
        var version = match.Success ? new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value)) : new Version(0, 0, 0);
        return new ServerDialect(serverVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase), version);
    }

    private bool UsesReplicaWords => !IsMariaDb && Version >= MySqlReplicaWords;

    public string ReplicaStatusSql => UsesReplicaWords ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";

    /// <summary>The replicas attached to a master, with their report_host and report_port.</summary>
    public string ReplicaHostsSql => UsesReplicaWords ? "SHOW REPLICAS" : "SHOW SLAVE HOSTS";

    /// <summary>Waits until the server has applied a GTID (set); @gtid and @timeout (seconds) are parameters.</summary>
    public string GtidWaitSql => IsMariaDb ? "SELECT MASTER_GTID_WAIT(@gtid, @timeout)" : "SELECT WAIT_FOR_EXECUTED_GTID_SET(@gtid, @timeout)";

    /// <summary>
    /// Both functions return 0 once the transactions are applied; on timeout MariaDB returns -1 and MySQL 1, and
    /// NULL means the wait could not run. Anything but 0 is "not applied".
    /// </summary>
    public static bool GtidWaitApplied(object? result) => result is not null and not DBNull && Convert.ToInt64(result) == 0;

    /// <summary>The variable holding everything the master has written to its binlog.</summary>
    public string MasterGtidVariable => IsMariaDb ? "@@gtid_binlog_pos" : "@@gtid_executed";

    /// <summary>The variable holding what a replica has applied from its master.</summary>
    public string AppliedGtidVariable => IsMariaDb ? "@@gtid_slave_pos" : "@@gtid_executed";

    [GeneratedRegex(@"^(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex VersionNumber();
}
