using System.Diagnostics;
using System.Globalization;
using System.Text;
using Portal.Web.Data;

namespace Portal.Web.Features.Replication;

/// <summary>
/// /metrics in Prometheus' text exposition format (version 0.0.4), written from the monitor's current view on
/// each scrape: nothing to keep in step, and a forgotten replica's series simply end.
/// </summary>
public sealed class ReplicationMetrics(MasterState master, ReplicaMonitor monitor, HeartbeatWriter heartbeat, GtidConfirmations confirmations)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public string Render()
    {
        var now = Stopwatch.GetTimestamp();
        var replicas = monitor.Replicas;
        var text = new StringBuilder();

        Family(text, "portal_master_up", "gauge", "1 while the master answers the portal's probe, 0 while it does not.");
        Sample(text, "portal_master_up", [], master.IsDown ? 0 : 1);

        Family(text, "portal_heartbeat_write_age_seconds", "gauge", "Time since the master last acknowledged this portal's heartbeat write.");
        if (heartbeat.Acks.LatestAckAt is { } ack)
        {
            Sample(text, "portal_heartbeat_write_age_seconds", [], Stopwatch.GetElapsedTime(ack, now).TotalSeconds);
        }

        Family(text, "portal_replica_up", "gauge", "1 while the replica answers the monitor account, 0 while it does not.");
        foreach (var r in replicas)
        {
            Sample(text, "portal_replica_up", [("replica", r.Name)], r.State == ReplicaState.Unreachable ? 0 : 1);
        }

        Family(text, "portal_replica_lag_seconds", "gauge", "Heartbeat lag: since when the replica has not kept up, estimated midway between the acknowledgements of the newest heartbeat it has applied and the oldest it has not (0 when it has the latest). Independent of clocks.");
        foreach (var r in replicas.Where(r => r.Lag is not null))
        {
            // Counted to this scrape, not to the last poll: the replica's applied heartbeat as last read, against
            // the acknowledgements as they are now (a stalled replica's lag keeps growing between polls).
            Sample(text, "portal_replica_lag_seconds", [("replica", r.Name)], heartbeat.Acks.EstimateOf(r.AppliedSeq, now, heartbeat.Interval).TotalSeconds);
        }

        Family(text, "portal_replica_heartbeat_age_seconds", "gauge", "Age of the newest heartbeat the replica has applied.");
        foreach (var r in replicas.Where(r => r.HeartbeatAge is not null))
        {
            Sample(text, "portal_replica_heartbeat_age_seconds", [("replica", r.Name)], r.HeartbeatAge!.Value.TotalSeconds);
        }

        Family(text, "portal_replica_state", "gauge", "The replica's state: 1 on the series of its current state, 0 on the others.");
        foreach (var r in replicas)
        {
            foreach (var state in Enum.GetValues<ReplicaState>())
            {
                Sample(text, "portal_replica_state", [("replica", r.Name), ("state", ReplicaHealth.Label(state).Replace(' ', '_'))], r.State == state ? 1 : 0);
            }
        }

        Family(text, "portal_replica_seconds_behind_master", "gauge", "The server's own whole-second estimate (Seconds_Behind_Master); absent while it is NULL (a thread stopped).");
        foreach (var r in replicas.Where(r => r.Status?.SecondsBehindMaster is not null))
        {
            Sample(text, "portal_replica_seconds_behind_master", [("replica", r.Name)], r.Status!.SecondsBehindMaster!.Value);
        }

        Family(text, "portal_replica_transactions_behind", "gauge", "Transactions in the master's binlog GTID position that the replica has not applied.");
        foreach (var r in replicas.Where(r => r.TransactionsBehind is not null))
        {
            Sample(text, "portal_replica_transactions_behind", [("replica", r.Name)], r.TransactionsBehind!.Value);
        }

        Family(text, "portal_replica_attached", "gauge", "1 while the master lists the replica in SHOW SLAVE HOSTS, 0 when it does not.");
        foreach (var r in replicas.Where(_ => monitor.Attached is not null))
        {
            Sample(text, "portal_replica_attached", [("replica", r.Name)], r.Alarm is null ? 1 : 0);
        }

        // A gauge per quantile rather than a summary: the window is the last confirmations, not a running total.
        Family(text, "portal_change_confirm_seconds", "gauge", "From a change's commit on the master until a replica has applied it: quantiles over the last 1000 confirmations.");
        if (confirmations.Latency is { } latency)
        {
            Sample(text, "portal_change_confirm_seconds", [("quantile", "0.5")], latency.Median.TotalSeconds);
            Sample(text, "portal_change_confirm_seconds", [("quantile", "0.99")], latency.P99.TotalSeconds);
        }
        return text.ToString();
    }

    public static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    public static void Sample(StringBuilder text, string name, (string Name, string Value)[] labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').AppendJoin(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
        }
        text.Append(' ').Append(value.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
    }

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
