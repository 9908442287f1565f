using System.Data.Common;
using System.Globalization;

namespace Portal.Web.Features.Replication;

/// <summary>A replication error as the replica reports it; MySQL adds the server's own timestamp, MariaDB does not.</summary>
public sealed record ReplicationError(int Number, string Message, string? ServerTimestamp);

/// <summary>
/// One row of <c>SHOW SLAVE STATUS</c> (MariaDB, MySQL before 8.0.22) or <c>SHOW REPLICA STATUS</c> (MySQL 8.0.22+),
/// read by column name in either spelling. NULL stays null: a NULL <c>Seconds_Behind_Master</c> means replication
/// is stopped, never "0 seconds behind".
/// </summary>
public sealed record ReplicaStatus
{
    /// <summary>"Yes", "No" or "Connecting".</summary>
    public required string IoRunning { get; init; }

    /// <summary>"Yes" or "No".</summary>
    public required string SqlRunning { get; init; }

    public string? IoState { get; init; }

    public string? SqlState { get; init; }

    /// <summary>The server's own estimate, in whole seconds, from event timestamps; NULL when a thread is stopped.</summary>
    public long? SecondsBehindMaster { get; init; }

    public string? MasterHost { get; init; }

    public int? MasterPort { get; init; }

    public long? MasterServerId { get; init; }

    public string? MasterLogFile { get; init; }

    public long? ReadMasterLogPos { get; init; }

    public string? RelayMasterLogFile { get; init; }

    public long? ExecMasterLogPos { get; init; }

    public ReplicationError? LastIoError { get; init; }

    public ReplicationError? LastSqlError { get; init; }

    /// <summary>A configured delay (MASTER_DELAY): the replica applies each event this many seconds late on purpose.</summary>
    public long? SqlDelay { get; init; }

    public long? SqlRemainingDelay { get; init; }

    /// <summary>What the IO thread has received: MariaDB's Gtid_IO_Pos, MySQL's Retrieved_Gtid_Set.</summary>
    public string? ReceivedGtid { get; init; }

    /// <summary>What the SQL thread has applied, when the row carries it (MySQL's Executed_Gtid_Set).</summary>
    public string? ExecutedGtid { get; init; }

    public bool IoYes => IoRunning.Equals("Yes", StringComparison.OrdinalIgnoreCase);

    public bool SqlYes => SqlRunning.Equals("Yes", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The SQL thread has applied everything the IO thread has written to the relay log. With the IO thread saying
    /// Yes and the heartbeat lagging, that means nothing is arriving: the link is silently dead.
    /// </summary>
    public bool AppliedAllReceived =>
        ReadMasterLogPos is not null && ReadMasterLogPos == ExecMasterLogPos && string.Equals(MasterLogFile, RelayMasterLogFile, StringComparison.Ordinal);

    /// <summary>Reads the current row of a reader positioned on it.</summary>
    public static ReplicaStatus Read(DbDataReader reader)
    {
        var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
        }
        return Parse(row);
    }

    /// <summary>From a row by column name; names are given in MariaDB's spelling and MySQL 8's is tried too.</summary>
    public static ReplicaStatus Parse(IReadOnlyDictionary<string, string?> row)
    {
        string? Text(string name)
        {
            var value = Lookup(row, name);
            return string.IsNullOrEmpty(value) ? null : value;
        }
        long? Number(string name) => long.TryParse(Text(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        ReplicationError? Error(string prefix)
        {
            var message = Text($"Last_{prefix}_Error");
            var number = (int)(Number($"Last_{prefix}_Errno") ?? 0);
            return message is null && number == 0 ? null : new ReplicationError(number, message ?? "", Text($"Last_{prefix}_Error_Timestamp"));
        }

        return new ReplicaStatus
        {
            IoRunning = Text("Slave_IO_Running") ?? "No",
            SqlRunning = Text("Slave_SQL_Running") ?? "No",
            IoState = Text("Slave_IO_State"),
            SqlState = Text("Slave_SQL_Running_State"),
            SecondsBehindMaster = Number("Seconds_Behind_Master"),
            MasterHost = Text("Master_Host"),
            MasterPort = (int?)Number("Master_Port"),
            MasterServerId = Number("Master_Server_Id"),
            MasterLogFile = Text("Master_Log_File"),
            ReadMasterLogPos = Number("Read_Master_Log_Pos"),
            RelayMasterLogFile = Text("Relay_Master_Log_File"),
            ExecMasterLogPos = Number("Exec_Master_Log_Pos"),
            LastIoError = Error("IO"),
            LastSqlError = Error("SQL"),
            SqlDelay = Number("SQL_Delay"),
            SqlRemainingDelay = Number("SQL_Remaining_Delay"),
            ReceivedGtid = Text("Gtid_IO_Pos") ?? Text("Retrieved_Gtid_Set"),
            ExecutedGtid = Text("Executed_Gtid_Set"),
        };
    }

    /// <summary>MySQL 8.0.22 renamed Slave to Replica and Master to Source in every column that had them.</summary>
    private static string? Lookup(IReadOnlyDictionary<string, string?> row, string name) =>
        row.TryGetValue(name, out var value)
            ? value
            : row.TryGetValue(name.Replace("Slave", "Replica", StringComparison.Ordinal).Replace("Master", "Source", StringComparison.Ordinal), out value)
                ? value
                : null;
}
