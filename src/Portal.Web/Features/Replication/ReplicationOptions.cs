using System.ComponentModel.DataAnnotations;
using MySqlConnector;

namespace Portal.Web.Features.Replication;

/// <summary>The replicas the Asterisk nodes read, and how the portal watches them. Bound from "Replication".</summary>
public sealed class ReplicationOptions
{
    public const string Section = "Replication";

    public List<ReplicaEndpoint> Replicas { get; set; } = [];

    /// <summary>Replicas are only ever opened with this account: SELECT and SLAVE MONITOR, nothing that writes.</summary>
    [Required]
    public string MonitorUser { get; set; } = "monitor";

    public string MonitorPassword { get; set; } = "";

    public string Database { get; set; } = "asteriskdb";

    /// <summary>How long a change is waited for on each replica before it is reported as not live there.</summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>After this long, the replicas that have not applied a change yet are named.</summary>
    public TimeSpan SlowThreshold { get; set; } = TimeSpan.FromMilliseconds(500);

    public string ConnectionString(ReplicaEndpoint replica) => new MySqlConnectionStringBuilder
    {
        Server = replica.Host,
        Port = (uint)replica.Port,
        UserID = MonitorUser,
        Password = MonitorPassword,
        Database = Database,
        ConnectionTimeout = 2,
    }.ConnectionString;
}

public sealed class ReplicaEndpoint
{
    [Required]
    public string Name { get; set; } = "";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 3306;
}
