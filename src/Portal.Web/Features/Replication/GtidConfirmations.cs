using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.Replication;

/// <summary>One replica's answer for one change: applied (and how long after the commit), or not within the timeout.</summary>
public sealed record ReplicaConfirmation(string Replica, bool Applied, TimeSpan SinceCommit, string? Error = null);

/// <summary>Median and 99th percentile of the recent confirmations, from commit on the master to applied on a replica.</summary>
public sealed record ConfirmLatency(int Count, TimeSpan Median, TimeSpan P99);

/// <summary>
/// Tells when a change is live on each replica: <c>MASTER_GTID_WAIT(gtid, timeout)</c> (MySQL:
/// <c>WAIT_FOR_EXECUTED_GTID_SET</c>) on a monitor connection returns as soon as the replica's SQL thread has
/// applied the commit (about 1 ms on loopback).
/// </summary>
public sealed class GtidConfirmations(ReplicaRegistry registry, IOptions<ReplicationOptions> options)
{
    private readonly RecentDurations recent = new(1000);
    private readonly ConcurrentDictionary<(string Host, int Port), string> connectionStrings = new();

    /// <summary>The replicas a change is confirmed on: every known one, configured or found on the master.</summary>
    public IReadOnlyList<ReplicaEndpoint> Replicas => registry.All.Select(r => r.Endpoint).ToList();

    public TimeSpan SlowThreshold => options.Value.SlowThreshold;

    /// <summary>Over the last 1,000 confirmations; null before the first.</summary>
    public ConfirmLatency? Latency => recent.Sorted() is { Length: > 0 } sorted
        ? new ConfirmLatency(sorted.Length, TimeSpan.FromMilliseconds(RecentDurations.Percentile(sorted, 0.5)), TimeSpan.FromMilliseconds(RecentDurations.Percentile(sorted, 0.99)))
        : null;

    /// <summary>Yields one confirmation per known replica, in the order they arrive.</summary>
    public IAsyncEnumerable<ReplicaConfirmation> WaitAsync(string gtid, long committedAt, CancellationToken ct) =>
        WaitAsync(Replicas, gtid, committedAt, ct);

    /// <summary>Yields one confirmation per given replica, in the order they arrive.</summary>
    public async IAsyncEnumerable<ReplicaConfirmation> WaitAsync(IReadOnlyList<ReplicaEndpoint> replicas, string gtid, long committedAt, [EnumeratorCancellation] CancellationToken ct)
    {
        var pending = replicas.Select(r => WaitOneAsync(r, gtid, committedAt, ct)).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending);
            pending.Remove(done);
            yield return await done;
        }
    }

    private async Task<ReplicaConfirmation> WaitOneAsync(ReplicaEndpoint replica, string gtid, long committedAt, CancellationToken ct)
    {
        var timeout = options.Value.ConfirmTimeout;
        try
        {
            var applied = await AppliedAsync(replica, gtid, timeout, ct);
            var since = Stopwatch.GetElapsedTime(committedAt);
            if (applied)
            {
                Record(since);
            }
            return new ReplicaConfirmation(replica.Name, applied, since, applied ? null : $"not applied within {timeout.TotalSeconds:0.#} s");
        }
        catch (MySqlException e)
        {
            return new ReplicaConfirmation(replica.Name, false, Stopwatch.GetElapsedTime(committedAt), e.Message);
        }
    }

    /// <summary>
    /// Pooled, and not reset on reuse: a reset is one more round trip between the commit and its confirmation, and the
    /// wait sets no session state. A pooled connection that died with a replica restart fails the wait at once; the wait
    /// only reads, so it is asked again, once, on a new connection instead of reporting the change as not live there.
    /// </summary>
    private async Task<bool> AppliedAsync(ReplicaEndpoint replica, string gtid, TimeSpan timeout, CancellationToken ct)
    {
        var connectionString = connectionStrings.GetOrAdd((replica.Host, replica.Port), _ => ConnectionString(options.Value, replica));
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = new MySqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new MySqlCommand(ServerDialect.From(connection.ServerVersion).GtidWaitSql, connection)
            {
                CommandTimeout = (int)timeout.TotalSeconds + 5,
            };
            command.Parameters.AddWithValue("@gtid", gtid);
            command.Parameters.AddWithValue("@timeout", timeout.TotalSeconds);
            try
            {
                return ServerDialect.GtidWaitApplied(await command.ExecuteScalarAsync(ct));
            }
            catch (MySqlException e) when (attempt == 1 && MasterState.ConnectionFailure(e) is not null)
            {
                await MySqlConnection.ClearPoolAsync(connection, ct);
            }
        }
    }

    /// <summary>
    /// The confirmations' pool. Its connect may take as long as the confirmation itself may (a down replica refuses at
    /// once, a hung one is bounded by the wait's timeout anyway): with the replicas' 2 s connect timeout the first flip
    /// after start-up, which opens these connections, was reported as not live on either replica once 200 circuits and
    /// their browsers kept the machine busy.
    /// </summary>
    public static string ConnectionString(ReplicationOptions options, ReplicaEndpoint replica)
    {
        var builder = new MySqlConnectionStringBuilder(options.ConnectionString(replica)) { ConnectionReset = false };
        builder.ConnectionTimeout = Math.Max(builder.ConnectionTimeout, (uint)Math.Ceiling(options.ConfirmTimeout.TotalSeconds));
        return builder.ConnectionString;
    }

    private void Record(TimeSpan latency) => recent.Add(latency.TotalMilliseconds);
}
