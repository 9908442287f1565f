namespace Portal.Web.Features.Replication;

public enum ReplicaState
{
    Healthy,

    /// <summary>The heartbeat lag is above the threshold while the replica is receiving.</summary>
    Lagging,

    /// <summary>
    /// Lagging although the IO thread says Yes and the SQL thread has applied all it received: nothing arrives.
    /// The server itself shows Seconds_Behind_Master 0 until slave_net_timeout (a minute by default) passes.
    /// </summary>
    LinkDead,

    /// <summary>A replication thread is stopped or reconnecting, or the server is not a replica.</summary>
    Stopped,

    Unreachable,
}

/// <summary>An error with the moment the portal first saw it (MariaDB reports no time of its own).</summary>
public sealed record SeenError(ReplicationError Error, DateTimeOffset FirstSeen);

/// <summary>Everything the portal knows about one replica right now.</summary>
public sealed record ReplicaView
{
    public required KnownReplica Replica { get; init; }

    public ReplicaState State { get; init; } = ReplicaState.Unreachable;

    /// <summary>Why the state is what it is, in words an operator acts on.</summary>
    public string Detail { get; init; } = "not polled yet";

    /// <summary>Heartbeat lag; null while the replica does not answer.</summary>
    public TimeSpan? Lag { get; init; }

    /// <summary>Age of the newest heartbeat the replica has applied.</summary>
    public TimeSpan? HeartbeatAge { get; init; }

    public long AppliedSeq { get; init; }

    public ReplicaStatus? Status { get; init; }

    public bool? ReadOnly { get; init; }

    public string? AppliedGtid { get; init; }

    public long? TransactionsBehind { get; init; }

    public SeenError? IoError { get; init; }

    public SeenError? SqlError { get; init; }

    /// <summary>Set when the master does not list the replica among its attached replicas.</summary>
    public string? Alarm { get; init; }

    public DateTimeOffset? LastAnswer { get; init; }

    public required LagHistory History { get; init; }

    public string Name => Replica.Endpoint.Name;
}

public static class ReplicaHealth
{
    /// <summary>The state of a replica that answered, from its status row and its heartbeat lag.</summary>
    public static (ReplicaState State, string Detail) Classify(ReplicaStatus? status, TimeSpan lag, TimeSpan threshold)
    {
        if (status is null)
        {
            return (ReplicaState.Stopped, "not a replica: SHOW SLAVE STATUS is empty");
        }
        if (!status.SqlYes)
        {
            return (ReplicaState.Stopped, "SQL thread stopped" + Suffix(status.LastSqlError));
        }
        if (!status.IoYes)
        {
            return (ReplicaState.Stopped, (status.IoRunning == "Connecting" ? "IO thread reconnecting to the master" : "IO thread stopped") + Suffix(status.LastIoError));
        }
        if (lag <= threshold)
        {
            return (ReplicaState.Healthy, "replicating");
        }
        return status.AppliedAllReceived
            ? (ReplicaState.LinkDead, $"the IO thread says Yes, but no heartbeat has arrived for {Format(lag)}: the link to the master is silently dead")
            : (ReplicaState.Lagging, $"{Format(lag)} behind" + (status.SqlDelay > 0 ? $" (SQL_Delay {status.SqlDelay} s is configured)" : ""));
    }

    public static string Format(TimeSpan? t) => t switch
    {
        null => "—",
        { TotalMilliseconds: < 1 } => "0 ms",
        { TotalSeconds: < 1 } x => $"{x.TotalMilliseconds:0} ms",
        { TotalSeconds: < 60 } x => $"{x.TotalSeconds:0.0} s",
        { TotalHours: < 1 } x => $"{(int)x.TotalMinutes} min {x.Seconds} s",
        var x => $"{(int)x.Value.TotalHours} h {x.Value.Minutes} min",
    };

    public static string Label(ReplicaState state) => state switch
    {
        ReplicaState.Healthy => "healthy",
        ReplicaState.Lagging => "lagging",
        ReplicaState.LinkDead => "link silently dead",
        ReplicaState.Stopped => "stopped",
        _ => "unreachable",
    };

    private static string Suffix(ReplicationError? error) => error is null ? "" : $": {error.Number} {error.Message}";
}
