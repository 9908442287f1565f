using System.Data.Common;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Asterisk.Nodes;
using Portal.Web.Features.Replication;

namespace Portal.Web.Features.Nodes;

public enum CheckState
{
    Passed,
    Warning,
    Failed,
}

public sealed record NodeCheck(string What, CheckState State, string Detail);

/// <summary>
/// What the portal can verify about a node itself: its replica, read with the monitor account (SELECT and SLAVE
/// MONITOR, nothing that writes). Columns are read by name, MariaDB's and MySQL's spellings alike; a NULL lag
/// means the SQL thread is stopped, never "0 s behind".
/// </summary>
public sealed class NodeChecks(IOptions<ReplicationOptions> replication, IOptions<NodesOptions> nodes)
{
    public static readonly string[] RealtimeTables = ["sip", "extensions", "voicemail", "pins"];

    public async Task<IReadOnlyList<NodeCheck>> RunAsync(NodeSpec spec, CancellationToken ct)
    {
        var checks = new List<NodeCheck>();
        var endpoint = new ReplicaEndpoint { Name = spec.Name, Host = spec.ReplicaHost, Port = spec.ReplicaPort };
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(replication.Value.ConnectionString(endpoint))
        {
            // The database may not exist on the replica until it replicates; the checks name it themselves.
            Database = "",
            Pooling = false,
        }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
        }
        catch (MySqlException e)
        {
            checks.Add(new NodeCheck("Replica reachable with the monitor account", CheckState.Failed,
                $"{spec.ReplicaHost}:{spec.ReplicaPort}: {e.Message.TrimEnd('.')}. Is the server up, listening there, and was {ReplicaFiles.AttachFileName} run (it creates the monitor account)?"));
            return checks;
        }
        checks.Add(new NodeCheck("Replica reachable with the monitor account", CheckState.Passed, $"{spec.ReplicaHost}:{spec.ReplicaPort}, server {connection.ServerVersion}"));

        var (serverId, readOnly) = await VariablesAsync(connection, ct);
        checks.Add(serverId == spec.ServerId
            ? new NodeCheck("server-id", CheckState.Passed, serverId.ToString())
            : new NodeCheck("server-id", CheckState.Failed, $"{serverId}, but the files give {spec.ServerId}: install {ReplicaFiles.SettingsFileName} and restart the server"));
        checks.Add(readOnly
            ? new NodeCheck("read_only", CheckState.Passed, "ON")
            : new NodeCheck("read_only", CheckState.Failed, $"OFF: anything could write to this replica and drift from the master; install {ReplicaFiles.SettingsFileName}"));

        checks.AddRange(await ReplicationAsync(connection, spec, ct));
        checks.Add(await TablesAsync(connection, spec, ct));
        return checks;
    }

    private static async Task<(long ServerId, bool ReadOnly)> VariablesAsync(MySqlConnection connection, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT @@server_id, @@read_only", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (Convert.ToInt64(reader.GetValue(0)), Convert.ToInt64(reader.GetValue(1)) != 0);
    }

    private async Task<IEnumerable<NodeCheck>> ReplicationAsync(MySqlConnection connection, NodeSpec spec, CancellationToken ct)
    {
        const string attached = "Attached to the master";
        // MySQL 8.4 knows only SHOW REPLICA STATUS; MariaDB's SHOW SLAVE STATUS names the columns the classic way.
        var sql = spec.Server == ReplicaServer.MariaDb ? "SHOW SLAVE STATUS" : "SHOW REPLICA STATUS";
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return [new NodeCheck(attached, CheckState.Failed, $"no replication configured: run {ReplicaFiles.AttachFileName} on the node")];
        }
        var host = Text(reader, "Master_Host", "Source_Host");
        var port = Text(reader, "Master_Port", "Source_Port");
        var io = Text(reader, "Slave_IO_Running", "Replica_IO_Running");
        var sqlThread = Text(reader, "Slave_SQL_Running", "Replica_SQL_Running");
        var lag = Text(reader, "Seconds_Behind_Master", "Seconds_Behind_Source");
        var ioError = Text(reader, "Last_IO_Error");
        var sqlError = Text(reader, "Last_SQL_Error");

        var checks = new List<NodeCheck>();
        var sameMaster = string.Equals(host, spec.MasterHost, StringComparison.OrdinalIgnoreCase) && port == spec.MasterPort.ToString();
        checks.Add(io == "Yes" && sqlThread == "Yes"
            ? new NodeCheck(attached, sameMaster ? CheckState.Passed : CheckState.Warning,
                sameMaster ? $"{host}:{port}, both threads running" : $"replicating from {host}:{port}, not from the master {spec.MasterHost}:{spec.MasterPort}")
            : new NodeCheck(attached, CheckState.Failed,
                $"IO thread {io ?? "?"}, SQL thread {sqlThread ?? "?"}" + (string.IsNullOrEmpty(ioError) ? "" : $"; IO: {ioError}") + (string.IsNullOrEmpty(sqlError) ? "" : $"; SQL: {sqlError}")));

        var maxLag = nodes.Value.MaxLag;
        checks.Add(lag is null
            ? new NodeCheck("Lag", CheckState.Failed, "unknown: replication is stopped (Seconds_Behind_Master is NULL)")
            : long.Parse(lag) <= maxLag.TotalSeconds
                ? new NodeCheck("Lag", CheckState.Passed, $"{lag} s behind the master (at most {maxLag.TotalSeconds:0} s)")
                : new NodeCheck("Lag", CheckState.Warning, $"{lag} s behind the master, more than {maxLag.TotalSeconds:0} s: this node answers calls with old data"));
        return checks;
    }

    private static async Task<NodeCheck> TablesAsync(MySqlConnection connection, NodeSpec spec, CancellationToken ct)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using var command = new MySqlCommand("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @db", connection);
        command.Parameters.AddWithValue("@db", spec.Database);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            present.Add(reader.GetString(0));
        }
        var missing = RealtimeTables.Where(t => !present.Contains(t)).ToList();
        return missing.Count == 0
            ? new NodeCheck("Realtime tables", CheckState.Passed, $"{spec.Database}: {string.Join(", ", RealtimeTables)}")
            : new NodeCheck("Realtime tables", CheckState.Failed, $"{spec.Database} lacks {string.Join(", ", missing)}: the replica has not replayed them (see the replication check)");
    }

    /// <summary>The first of the named columns the server returned, as text; null for NULL or no such column.</summary>
    private static string? Text(DbDataReader reader, params string[] names)
    {
        foreach (var name in names)
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                if (string.Equals(reader.GetName(i), name, StringComparison.OrdinalIgnoreCase))
                {
                    return reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i));
                }
            }
        }
        return null;
    }
}
