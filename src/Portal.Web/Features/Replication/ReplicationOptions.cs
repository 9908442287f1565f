using System.ComponentModel.DataAnnotations;
using MySqlConnector;
using Portal.Web.Setup;

namespace Portal.Web.Features.Replication;

/// <summary>The replicas the Asterisk nodes read, and how the portal watches them. Bound from "Replication".</summary>
public sealed class ReplicationOptions : IValidatableObject
{
    public const string Section = "Replication";

    /// <summary>Replicas known from configuration; more are discovered from the master (<c>SHOW SLAVE HOSTS</c>).</summary>
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

    /// <summary>
    /// Names this portal's heartbeat row, so several portal instances can share one master. Empty: a fresh id per
    /// process (host name, process id and a random suffix).
    /// </summary>
    [MaxLength(64)]
    public string InstanceId { get; set; } = "";

    /// <summary>
    /// How often the heartbeat row is written on the master. Each write is one small transaction in the binlog, so
    /// shorter is finer lag at the price of more binlog; 100-250 ms resolves lag to a fraction of a second.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often each replica is asked which heartbeat it has applied (one long-lived connection each).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often <c>SHOW SLAVE STATUS</c>, read_only and the GTID positions are read.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the master is asked which replicas are attached to it.</summary>
    public TimeSpan DiscoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A query that takes longer than this counts as the server not answering.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Above this heartbeat lag a replica is lagging (or its link silently dead).</summary>
    public TimeSpan LagThreshold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>/health/ready fails when a replica lags more than this, or cannot be reached.</summary>
    public TimeSpan ReadyMaxLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How much lag history each replica keeps for the chart.</summary>
    public TimeSpan History { get; set; } = TimeSpan.FromMinutes(15);

    public string ConnectionString(ReplicaEndpoint replica, string? database = null) => new MySqlConnectionStringBuilder
    {
        Server = replica.Host,
        Port = (uint)replica.Port,
        UserID = MonitorUser,
        Password = MonitorPassword,
        Database = database ?? Database,
        ConnectionTimeout = 2,
    }.ConnectionString;

    /// <summary>The master with the monitor account: SHOW SLAVE HOSTS and the binlog's GTID position, nothing else.</summary>
    public string MasterMonitorConnectionString(string masterConnectionString) =>
        new MySqlConnectionStringBuilder(masterConnectionString)
        {
            UserID = MonitorUser,
            Password = MonitorPassword,
            Database = "",
            Pooling = false,
            ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(QueryTimeout.TotalSeconds)),
        }.ConnectionString;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HeartbeatInterval < TimeSpan.FromMilliseconds(50) || HeartbeatInterval > TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Replication:HeartbeatInterval must lie between 50 ms and 1 s (100-250 ms recommended).", [nameof(HeartbeatInterval)]);
        }
        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromSeconds(1))
        {
            yield return new ValidationResult("Replication:PollInterval must be positive and at most 1 s.", [nameof(PollInterval)]);
        }
        foreach (var duplicate in Replicas.GroupBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"Replication:Replicas names {duplicate.Key} twice.", [nameof(Replicas)]);
        }
        foreach (var (replica, i) in Replicas.Select((r, i) => (r, i)).Where(r => r.r.Name.Length == 0 || r.r.Host.Length == 0 || r.r.Port is < 1 or > 65535))
        {
            yield return new ValidationResult($"Replication:Replicas:{i} needs a Name, a Host and a Port (1-65535); it has \"{replica.Name}\", \"{replica.Host}\", {replica.Port}.", [nameof(Replicas)]);
        }
        IEnumerable<ValidationResult>[] ranges =
        [
            Settings.Between(ConfirmTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), "Replication:ConfirmTimeout"),
            Settings.Between(SlowThreshold, TimeSpan.FromMilliseconds(10), ConfirmTimeout, "Replication:SlowThreshold"),
            Settings.Between(StatusInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), "Replication:StatusInterval"),
            Settings.Between(DiscoveryInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "Replication:DiscoveryInterval"),
            Settings.Between(QueryTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), "Replication:QueryTimeout"),
            Settings.Between(LagThreshold, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), "Replication:LagThreshold"),
            Settings.Between(ReadyMaxLag, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1), "Replication:ReadyMaxLag"),
            Settings.Between(History, TimeSpan.FromMinutes(1), TimeSpan.FromDays(1), "Replication:History"),
        ];
        foreach (var problem in ranges.SelectMany(r => r))
        {
            yield return problem;
        }
    }
}

public sealed class ReplicaEndpoint
{
    [Required]
    public string Name { get; set; } = "";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 3306;

    public override string ToString() => $"{Name} ({Host}:{Port})";
}
