using System.Diagnostics;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.Replication;

/// <summary>
/// Writes this portal instance's heartbeat row on the master every <see cref="ReplicationOptions.HeartbeatInterval"/>
/// and notes on the monotonic clock when the master acknowledged each write (<see cref="Acks"/>). Replicas are
/// then asked which seq they have applied; <see cref="HeartbeatAcks"/> turns that into a lag.
/// The writes are system traffic, not user changes: they bypass the write path and its audit, use one long-lived
/// connection, and each is a one-row UPDATE in autocommit (about 400 bytes of binlog on MariaDB).
/// </summary>
public sealed class HeartbeatWriter(IOptions<ReplicationOptions> options, IOptions<DatabaseOptions> database, MasterState master, ILogger<HeartbeatWriter> log) : BackgroundService
{
    private readonly ReplicationOptions settings = options.Value;
    private string? lastError;

    public string InstanceId { get; } = string.IsNullOrEmpty(options.Value.InstanceId) ? NewInstanceId() : options.Value.InstanceId;

    /// <summary>Enough acknowledgements for the whole history window, so any lag in the chart can be computed.</summary>
    public HeartbeatAcks Acks { get; } = new((int)(options.Value.History / options.Value.HeartbeatInterval) + 64);

    public TimeSpan Interval => settings.HeartbeatInterval;

    /// <summary>Why the last write failed, while writes fail; null while they succeed.</summary>
    public string? LastError => lastError;

    public string Table => $"`{database.Value.AsteriskDatabase}`.portal_heartbeat";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new MySqlConnectionStringBuilder(database.Value.AsteriskConnectionString)
        {
            ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(settings.QueryTimeout.TotalSeconds)),
        }.ConnectionString;
        await using var link = new LongLivedConnection(connectionString, settings.QueryTimeout);
        // MariaDB logs each row event with its statement's text (binlog_annotate_row_events, which only BINLOG ADMIN
        // may turn off), so the statement is kept short: unqualified (the connection's database is asteriskdb), an
        // UPDATE of the one row, and an INSERT only when the row is missing (the first write, or someone deleted it).
        const string Update = "UPDATE portal_heartbeat SET seq=@seq,written_at=UTC_TIMESTAMP(6) WHERE instance_id=@id";
        const string Insert = "INSERT INTO portal_heartbeat (instance_id,seq,written_at) VALUES (@id,@seq,UTC_TIMESTAMP(6))";
        long seq = 0;
        var cleaned = false;
        using var timer = new PeriodicTimer(settings.HeartbeatInterval);
        try
        {
            do
            {
                // A seq is never reused, even when its write failed: that write may have committed all the same.
                var next = ++seq;
                try
                {
                    if (!cleaned)
                    {
                        // Rows of portal instances that ended without removing theirs (a crash, a kill).
                        await ExecuteAsync(link, $"DELETE FROM {Table} WHERE written_at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY", null, stoppingToken);
                        cleaned = true;
                    }
                    if (await ExecuteAsync(link, Update, next, stoppingToken) == 0)
                    {
                        await ExecuteAsync(link, Insert, next, stoppingToken);
                    }
                    Acks.Record(next, Stopwatch.GetTimestamp());
                    if (lastError is not null)
                    {
                        log.LogInformation("Heartbeat writes succeed again (seq {Seq})", next);
                        lastError = null;
                    }
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The heartbeat goes on through any failure. Meanwhile nothing is acknowledged, so a replica that has the
                    // last acknowledged write shows no lag: the outage is the master's, shown by MasterState.
                    if (lastError is null)
                    {
                        log.LogWarning("Heartbeat write failed: {Reason}", e.Message);
                    }
                    lastError = e.Message;
                    // Writing several times a second, the heartbeat is the first to see the master die (a refused or
                    // reset connection). A slow answer is left to MasterProbe, as is saying the master is back: a busy
                    // moment must not turn the portal read-only more often than the probe alone would.
                    if (MasterState.ConnectionFailure(e) is not null)
                    {
                        master.ReportUnreachable(e);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // On a clean stop the row goes, so the table holds only live instances. The stop usually cancels a write in
        // flight, and a cancelled write gives its connection up: the link then opens a fresh one. The stop's token is
        // cancelled already, so the DELETE is bounded by the link's own timeout instead.
        try
        {
            await ExecuteAsync(link, $"DELETE FROM {Table} WHERE instance_id = @id", null, CancellationToken.None);
        }
        catch (Exception e) when (e is MySqlException or TimeoutException)
        {
            log.LogWarning("Could not remove heartbeat row {Instance}: {Reason}", InstanceId, e.Message);
        }
    }

    private Task<int> ExecuteAsync(LongLivedConnection link, string sql, long? seq, CancellationToken ct) =>
        link.RunAsync(async (connection, token) =>
        {
            await using var command = new MySqlCommand(sql, connection);
            command.Parameters.AddWithValue("@id", InstanceId);
            command.Parameters.AddWithValue("@seq", seq);
            return await command.ExecuteNonQueryAsync(token);
        }, ct);

    private static string NewInstanceId()
    {
        var id = $"{Environment.MachineName}-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
        return id.Length <= 64 ? id : id[^64..];
    }
}
