using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.Replication;

/// <summary>A replica the portal watches: from configuration, or found attached to the master and remembered.</summary>
public sealed record KnownReplica(ReplicaEndpoint Endpoint, bool Configured, long? ServerId, DateTimeOffset FirstSeen);

/// <summary>A row of SHOW SLAVE HOSTS: a replica attached to the master, as its report_host/report_port name it.</summary>
public sealed record AttachedReplica(long ServerId, string Host, int Port);

/// <summary>
/// The replicas the portal watches: the configured ones, plus every replica ever seen attached to the master, kept
/// in <c>portal.replicas</c>. A replica that vanishes from the master therefore stays listed (with an alarm)
/// until an operator forgets it. Works from configuration alone while the master cannot be read.
/// </summary>
public sealed class ReplicaRegistry(IOptions<ReplicationOptions> options, IOptions<DatabaseOptions> database, TimeProvider clock, ILogger<ReplicaRegistry> log)
{
    private readonly Lock gate = new();
    private IReadOnlyList<KnownReplica> all = options.Value.Replicas
        .Select(r => new KnownReplica(r, true, null, clock.GetUtcNow()))
        .ToList();

    public IReadOnlyList<KnownReplica> All => all;

    /// <summary>Whether the persisted list has been read; until then only the configured replicas are known.</summary>
    public bool Loaded { get; private set; }

    public event Action? Changed;

    /// <summary>Reads the remembered replicas and remembers the configured ones.</summary>
    public async Task LoadAsync(CancellationToken ct)
    {
        var remembered = new List<KnownReplica>();
        await using var connection = await OpenAsync(ct);
        await using (var command = new MySqlCommand($"SELECT name, host, port, server_id, first_seen FROM `{database.Value.PortalDatabase}`.replicas", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                remembered.Add(new KnownReplica(
                    new ReplicaEndpoint { Name = reader.GetString(0), Host = reader.GetString(1), Port = reader.GetInt32(2) },
                    false,
                    reader.IsDBNull(3) ? null : reader.GetInt64(3),
                    new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc))));
            }
        }
        var configured = options.Value.Replicas;
        // Remember the configured ones, where configuration says they are.
        foreach (var endpoint in configured)
        {
            var known = remembered.FirstOrDefault(r => SameName(r.Endpoint.Name, endpoint.Name));
            if (known is null || known.Endpoint.Host != endpoint.Host || known.Endpoint.Port != endpoint.Port)
            {
                await SaveAsync(connection, new KnownReplica(endpoint, true, known?.ServerId, known?.FirstSeen ?? clock.GetUtcNow()), "configured", ct);
            }
        }
        lock (gate)
        {
            // Configuration decides where a configured replica is; the table adds what it remembers about it.
            all = configured
                .Select(c => remembered.FirstOrDefault(r => SameName(r.Endpoint.Name, c.Name)) is { } r
                    ? r with { Endpoint = c, Configured = true }
                    : new KnownReplica(c, true, null, clock.GetUtcNow()))
                .Concat(remembered.Where(r => !configured.Any(c => SameName(c.Name, r.Endpoint.Name))))
                .ToList();
            Loaded = true;
        }
        Changed?.Invoke();
    }

    /// <summary>Matches the master's attached replicas to the known ones; remembers new ones and new server ids.</summary>
    public async Task MergeAsync(IReadOnlyList<AttachedReplica> attached, CancellationToken ct)
    {
        var known = all.ToList();
        var changed = new List<KnownReplica>();
        foreach (var a in attached.Where(a => !string.IsNullOrEmpty(a.Host)))
        {
            var index = IndexOf(known, a);
            if (index < 0)
            {
                var name = known.Any(k => SameName(k.Endpoint.Name, a.Host)) ? $"{a.Host}:{a.Port}" : a.Host;
                var found = new KnownReplica(new ReplicaEndpoint { Name = name, Host = a.Host, Port = a.Port }, false, a.ServerId, clock.GetUtcNow());
                log.LogInformation("Found replica {Replica} (server id {ServerId}) attached to the master", found.Endpoint, a.ServerId);
                known.Add(found);
                changed.Add(found);
            }
            else if (known[index].ServerId != a.ServerId)
            {
                known[index] = known[index] with { ServerId = a.ServerId };
                changed.Add(known[index]);
            }
        }
        if (changed.Count == 0)
        {
            return;
        }
        await using (var connection = await OpenAsync(ct))
        {
            foreach (var replica in changed)
            {
                await SaveAsync(connection, replica, replica.Configured ? "configured" : "discovered", ct);
            }
        }
        lock (gate)
        {
            var current = all.ToList();
            foreach (var replica in changed)
            {
                var index = current.FindIndex(k => SameName(k.Endpoint.Name, replica.Endpoint.Name));
                if (index < 0)
                {
                    current.Add(replica);
                }
                else
                {
                    current[index] = replica;
                }
            }
            all = current;
        }
        Changed?.Invoke();
    }

    /// <summary>Drops a replica from the watched list (its row is deleted by the caller's audited transaction).</summary>
    public void Remove(string name)
    {
        lock (gate)
        {
            all = all.Where(r => !SameName(r.Endpoint.Name, name)).ToList();
        }
        Changed?.Invoke();
    }

    /// <summary>
    /// Which known replica an attached one is: the one with its server id, else the one named by its report_host,
    /// else the one at its address; -1 for a new replica.
    /// </summary>
    public static int IndexOf(IReadOnlyList<KnownReplica> known, AttachedReplica attached)
    {
        var list = known.ToList();
        var index = list.FindIndex(k => k.ServerId == attached.ServerId);
        if (index < 0)
        {
            index = list.FindIndex(k => SameName(k.Endpoint.Name, attached.Host));
        }
        if (index < 0)
        {
            index = list.FindIndex(k => string.Equals(k.Endpoint.Host, attached.Host, StringComparison.OrdinalIgnoreCase) && k.Endpoint.Port == attached.Port);
        }
        return index;
    }

    private static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    private async Task<MySqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new MySqlConnection(database.Value.PortalConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    private async Task SaveAsync(MySqlConnection connection, KnownReplica replica, string source, CancellationToken ct)
    {
        // A system record, not a user's change: it is not audited. Several portal instances may race to write it.
        await using var command = new MySqlCommand(
            $"INSERT INTO `{database.Value.PortalDatabase}`.replicas (name, host, port, server_id, source, first_seen) VALUES (@name, @host, @port, @serverId, @source, @firstSeen) " +
            "ON DUPLICATE KEY UPDATE host = VALUES(host), port = VALUES(port), server_id = VALUES(server_id)",
            connection);
        command.Parameters.AddWithValue("@name", replica.Endpoint.Name);
        command.Parameters.AddWithValue("@host", replica.Endpoint.Host);
        command.Parameters.AddWithValue("@port", replica.Endpoint.Port);
        command.Parameters.AddWithValue("@serverId", replica.ServerId);
        command.Parameters.AddWithValue("@source", source);
        command.Parameters.AddWithValue("@firstSeen", replica.FirstSeen.UtcDateTime);
        await command.ExecuteNonQueryAsync(ct);
    }
}
