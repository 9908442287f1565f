using System.Diagnostics;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.Replication;

/// <summary>
/// Watches every known replica on one long-lived monitor connection each: its applied heartbeat every
/// <see cref="ReplicationOptions.PollInterval"/>, its replication status every <see cref="ReplicationOptions.StatusInterval"/>.
/// On its own monitor connection to the master it reads the binlog's GTID position and which replicas are attached
/// (<c>SHOW SLAVE HOSTS</c>), feeding new ones to the <see cref="ReplicaRegistry"/>.
/// </summary>
public sealed class ReplicaMonitor(
    ReplicaRegistry registry,
    HeartbeatWriter heartbeat,
    IOptions<ReplicationOptions> options,
    IOptions<DatabaseOptions> database,
    TimeProvider clock,
    ILogger<ReplicaMonitor> log) : BackgroundService
{
    private readonly ReplicationOptions settings = options.Value;
    private readonly HeartbeatWriter heartbeat = heartbeat;
    private readonly TimeProvider clock = clock;
    private readonly Dictionary<string, Watch> watches = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock gate = new();
    private CancellationToken stopping;

    /// <summary>The master's binlog GTID position, as last read.</summary>
    public string? MasterGtid { get; private set; }

    /// <summary>The replicas the master last listed as attached; null until it has answered.</summary>
    public IReadOnlyList<AttachedReplica>? Attached { get; private set; }

    /// <summary>Why the master's monitor connection fails, while it does.</summary>
    public string? MasterError { get; private set; }

    public TimeSpan LagThreshold => settings.LagThreshold;

    public IReadOnlyList<ReplicaView> Replicas
    {
        get
        {
            lock (gate)
            {
                return watches.Values.Select(w => w.View).OrderBy(v => v.Name, StringComparer.OrdinalIgnoreCase).ToList();
            }
        }
    }

    public ReplicaView? Find(string name)
    {
        lock (gate)
        {
            return watches.GetValueOrDefault(name)?.View;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        stopping = stoppingToken;
        registry.Changed += Sync;
        Sync();
        try
        {
            await WatchMasterAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            registry.Changed -= Sync;
            List<Watch> running;
            lock (gate)
            {
                running = [.. watches.Values];
                watches.Clear();
            }
            await Task.WhenAll(running.Select(w => w.StopAsync()));
        }
    }

    /// <summary>Starts a watch for each replica the registry knows, and stops those it no longer knows.</summary>
    private void Sync()
    {
        var known = registry.All;
        var stopped = new List<Watch>();
        lock (gate)
        {
            if (stopping.IsCancellationRequested)
            {
                return;
            }
            foreach (var name in watches.Keys.Where(n => !known.Any(k => string.Equals(k.Endpoint.Name, n, StringComparison.OrdinalIgnoreCase))).ToList())
            {
                stopped.Add(watches[name]);
                watches.Remove(name);
            }
            foreach (var replica in known)
            {
                if (watches.TryGetValue(replica.Endpoint.Name, out var watch))
                {
                    if (watch.Endpoint.Host == replica.Endpoint.Host && watch.Endpoint.Port == replica.Endpoint.Port)
                    {
                        watch.Replica = replica;
                        continue;
                    }
                    stopped.Add(watch);
                }
                watches[replica.Endpoint.Name] = new Watch(this, replica, stopping);
            }
        }
        foreach (var watch in stopped)
        {
            _ = watch.StopAsync();
        }
    }

    private async Task WatchMasterAsync(CancellationToken ct)
    {
        await using var master = new LongLivedConnection(settings.MasterMonitorConnectionString(database.Value.Master), settings.QueryTimeout);
        using var timer = new PeriodicTimer(settings.StatusInterval);
        var nextDiscovery = 0L;
        do
        {
            try
            {
                if (!registry.Loaded)
                {
                    await registry.LoadAsync(ct);
                }
                MasterGtid = await master.RunAsync(async (c, token) =>
                {
                    await using var command = new MySqlCommand($"SELECT {master.Dialect!.MasterGtidVariable}", c);
                    return await command.ExecuteScalarAsync(token) as string;
                }, ct);
                if (Stopwatch.GetTimestamp() >= nextDiscovery)
                {
                    var attached = await master.RunAsync((c, token) => AttachedAsync(c, master.Dialect!, token), ct);
                    Attached = attached;
                    nextDiscovery = Stopwatch.GetTimestamp() + (long)(settings.DiscoveryInterval.TotalSeconds * Stopwatch.Frequency);
                    await registry.MergeAsync(attached, ct);
                }
                if (MasterError is not null)
                {
                    log.LogInformation("The master's monitor connection works again.");
                }
                MasterError = null;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (MasterError is null)
                {
                    log.LogWarning("Cannot read replication state from the master: {Reason}", e.Message);
                }
                MasterError = e.Message;
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }

    private static async Task<IReadOnlyList<AttachedReplica>> AttachedAsync(MySqlConnection connection, ServerDialect dialect, CancellationToken ct)
    {
        var attached = new List<AttachedReplica>();
        await using var command = new MySqlCommand(dialect.ReplicaHostsSql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            // By name: MariaDB has Server_id, Host, Port, Master_id; MySQL 8 Server_Id, Host, Port, Source_Id, Replica_UUID.
            attached.Add(new AttachedReplica(
                Convert.ToInt64(reader.GetValue(reader.GetOrdinal("Server_id"))),
                reader.IsDBNull(reader.GetOrdinal("Host")) ? "" : reader.GetString(reader.GetOrdinal("Host")),
                Convert.ToInt32(reader.GetValue(reader.GetOrdinal("Port")))));
        }
        return attached;
    }

    /// <summary>Why the master does not list this replica as attached; null when it does (or the master cannot say).</summary>
    private string? AlarmFor(KnownReplica replica)
    {
        if (Attached is not { } attached || MasterError is not null)
        {
            return null;
        }
        return attached.Any(a => ReplicaRegistry.IndexOf([replica], a) == 0)
            ? null
            : "not attached to the master: SHOW SLAVE HOSTS does not list it";
    }

    /// <summary>One replica's poll loop and its latest view.</summary>
    private sealed class Watch
    {
        private readonly ReplicaMonitor monitor;
        private readonly CancellationTokenSource cancel;
        private readonly Task loop;
        private readonly LagHistory history;
        private volatile ReplicaView view;

        public Watch(ReplicaMonitor monitor, KnownReplica replica, CancellationToken stopping)
        {
            this.monitor = monitor;
            Replica = replica;
            Endpoint = replica.Endpoint;
            history = new LagHistory(monitor.settings.History, monitor.settings.PollInterval);
            view = new ReplicaView { Replica = replica, History = history };
            cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            loop = Task.Run(() => RunAsync(cancel.Token));
        }

        public ReplicaEndpoint Endpoint { get; }

        public KnownReplica Replica { get; set; }

        public ReplicaView View => view;

        public async Task StopAsync()
        {
            await cancel.CancelAsync();
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
            }
            cancel.Dispose();
        }

        private async Task RunAsync(CancellationToken ct)
        {
            var settings = monitor.settings;
            var heartbeat = monitor.heartbeat;
            await using var replica = new LongLivedConnection(settings.ConnectionString(Endpoint), settings.QueryTimeout);
            using var timer = new PeriodicTimer(settings.PollInterval);
            var nextStatus = 0L;
            var selectSeq = $"SELECT seq FROM {heartbeat.Table} WHERE instance_id = @id";
            do
            {
                try
                {
                    var seq = await replica.RunAsync(async (c, token) =>
                    {
                        await using var command = new MySqlCommand(selectSeq, c);
                        command.Parameters.AddWithValue("@id", heartbeat.InstanceId);
                        return await command.ExecuteScalarAsync(token) is { } value and not DBNull ? Convert.ToInt64(value) : 0;
                    }, ct);
                    var answeredAt = Stopwatch.GetTimestamp();
                    var current = view;
                    if (answeredAt >= nextStatus || current.LastAnswer is null)
                    {
                        current = await replica.RunAsync((c, token) => ReadStatusAsync(c, replica.Dialect!, current, token), ct);
                        nextStatus = Stopwatch.GetTimestamp() + (long)(settings.StatusInterval.TotalSeconds * Stopwatch.Frequency);
                    }
                    Publish(current, seq, answeredAt);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    // Whatever the server or the network does, the watch goes on: it only reports what it saw.
                    nextStatus = 0;
                    history.Add(Stopwatch.GetTimestamp(), null);
                    view = view with
                    {
                        Replica = Replica,
                        State = ReplicaState.Unreachable,
                        Detail = e.Message,
                        Lag = null,
                        HeartbeatAge = null,
                        Alarm = monitor.AlarmFor(Replica),
                    };
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }

        private void Publish(ReplicaView current, long seq, long answeredAt)
        {
            var acks = monitor.heartbeat.Acks;
            var lag = acks.EstimateOf(seq, answeredAt, monitor.heartbeat.Interval);
            history.Add(answeredAt, lag);
            var (state, detail) = ReplicaHealth.Classify(current.Status, lag, monitor.settings.LagThreshold);
            view = current with
            {
                Replica = Replica,
                State = state,
                Detail = detail,
                Lag = lag,
                HeartbeatAge = acks.AgeOf(seq, answeredAt),
                AppliedSeq = seq,
                TransactionsBehind = GtidPosition.Behind(monitor.MasterGtid, current.AppliedGtid),
                Alarm = monitor.AlarmFor(Replica),
                LastAnswer = monitor.clock.GetUtcNow(),
            };
        }

        /// <summary>SHOW SLAVE STATUS, read_only and the applied GTID position in one round trip.</summary>
        private async Task<ReplicaView> ReadStatusAsync(MySqlConnection connection, ServerDialect dialect, ReplicaView current, CancellationToken ct)
        {
            await using var command = new MySqlCommand($"{dialect.ReplicaStatusSql}; SELECT @@read_only, {dialect.AppliedGtidVariable}", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var status = await reader.ReadAsync(ct) ? ReplicaStatus.Read(reader) : null;
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            var now = monitor.clock.GetUtcNow();
            return current with
            {
                Status = status,
                ReadOnly = Convert.ToInt64(reader.GetValue(0)) != 0,
                AppliedGtid = reader.IsDBNull(1) ? null : reader.GetString(1),
                IoError = Seen(current.IoError, status?.LastIoError, now),
                SqlError = Seen(current.SqlError, status?.LastSqlError, now),
            };
        }

        /// <summary>Keeps the moment an error was first seen for as long as the replica reports the same error.</summary>
        private static SeenError? Seen(SeenError? before, ReplicationError? error, DateTimeOffset now) =>
            error is null ? null : before is not null && before.Error == error ? before : new SeenError(error, now);
    }
}
