using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Portal.Web.Features.Replication;

/// <summary>One replica's answer for one change: applied (and how long after the commit), or not within the timeout.</summary>
public sealed record ReplicaConfirmation(string Replica, bool Applied, TimeSpan SinceCommit, string? Error = null);

/// <summary>
/// Tells when a change is live on each replica: <c>MASTER_GTID_WAIT(gtid, timeout)</c> on a monitor connection
/// returns as soon as the replica's SQL thread has applied the commit (about 1 ms on loopback).
/// </summary>
public sealed class GtidConfirmations(IOptions<ReplicationOptions> options)
{
    public IReadOnlyList<ReplicaEndpoint> Replicas => options.Value.Replicas;

    public TimeSpan SlowThreshold => options.Value.SlowThreshold;

    /// <summary>Yields one confirmation per replica, in the order they arrive.</summary>
    public async IAsyncEnumerable<ReplicaConfirmation> WaitAsync(string gtid, long committedAt, [EnumeratorCancellation] CancellationToken ct)
    {
        var pending = options.Value.Replicas.Select(r => WaitOneAsync(r, gtid, committedAt, ct)).ToList();
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
            await using var connection = new MySqlConnection(options.Value.ConnectionString(replica));
            await connection.OpenAsync(ct);
            await using var command = new MySqlCommand("SELECT MASTER_GTID_WAIT(@gtid, @timeout)", connection)
            {
                CommandTimeout = (int)timeout.TotalSeconds + 5,
            };
            command.Parameters.AddWithValue("@gtid", gtid);
            command.Parameters.AddWithValue("@timeout", timeout.TotalSeconds);
            // 0: applied; -1: timed out; NULL: the server is not a replica of this master (or the wait was refused).
            var result = await command.ExecuteScalarAsync(ct);
            var applied = result is not null and not DBNull && Convert.ToInt32(result) == 0;
            return new ReplicaConfirmation(replica.Name, applied, Stopwatch.GetElapsedTime(committedAt), applied ? null : $"not applied within {timeout.TotalSeconds:0} s");
        }
        catch (MySqlException e)
        {
            return new ReplicaConfirmation(replica.Name, false, Stopwatch.GetElapsedTime(committedAt), e.Message);
        }
    }
}
