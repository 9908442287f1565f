using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;
using Portal.Web.Features.Replication;

namespace Portal.Web.Features.OfficeToggles;

/// <summary>The flag rows of one toggle key on one node (the master or a replica), or why they could not be read.</summary>
public sealed record NodeFlag(string Node, IReadOnlyList<string> Values, string? Error = null)
{
    public const string Master = "master";

    /// <summary>"on", "off", "missing", "duplicated", "unreachable", or "other" (an appdata that is neither on nor off).</summary>
    public string State => Error is not null ? "unreachable" : Values.Count switch
    {
        0 => "missing",
        > 1 => "duplicated",
        _ => Values[0] is "on" or "off" ? Values[0] : "other",
    };
}

/// <summary>Who last changed a toggle and when, from the audit log.</summary>
public sealed record ToggleChange(string UserName, DateTime AtUtc, string Action, string? From, string? To);

/// <summary>A toggle as every node has it right now: <see cref="Nodes"/> starts with the master.</summary>
public sealed record ToggleState(int Id, string TenantKey, string TenantName, string Name, string Key, IReadOnlyList<NodeFlag> Nodes, ToggleChange? LastChange)
{
    public NodeFlag OnMaster => Nodes[0];
}

/// <summary>Whether the watch's rounds succeed; if not, the error of the failing round and when the last good one ended.</summary>
public sealed record WatchHealth(DateTime? LastReadUtc, string? Error)
{
    public bool Reading => Error is null;
}

/// <summary>
/// Every toggle as a round left it; <paramref name="ByTenant"/> holds the toggles of the tenants whose pages were open
/// during that round, keyed as <see cref="Caller.CanAccessTenant"/> compares.
/// </summary>
public sealed record ToggleSnapshot(DateTime AtUtc, IReadOnlyList<ToggleState> Toggles, IReadOnlyDictionary<string, List<ToggleState>> ByTenant)
{
    /// <summary>
    /// Only the toggles of the caller's tenant (all of them for an operator): the filter is on the server. A tenant's
    /// page finds its list without a pass over every tenant's toggles: hundreds of pages ask after every round.
    /// </summary>
    public IReadOnlyList<ToggleState> VisibleTo(Caller caller) =>
        caller.IsOperator ? Toggles
        : caller.TenantKey is { } tenant && ByTenant.TryGetValue(tenant, out var mine) ? mine
        : Toggles.Where(t => caller.CanAccessTenant(t.TenantKey)).ToList();
}

/// <summary>
/// Watches every toggle's flag rows. On each round it reads them on the master and compares them with the value the
/// portal last wrote or saw (<c>office_toggles.known_state</c>): a difference is a flip made outside the portal (a
/// phone dialling *20 runs RealTimeUpdate as the asterisk user), audited as "changed outside the portal". The toggles
/// a page shows are read on every replica too, with their last change from the audit log, every
/// <see cref="OfficeToggleOptions.PollInterval"/>; the others only on the master, every <see cref="OfficeToggleOptions.IdleInterval"/>.
/// </summary>
public sealed class OfficeToggleWatch(
    IOptions<DatabaseOptions> database,
    IOptions<ReplicationOptions> replication,
    IOptions<OfficeToggleOptions> options,
    MasterWriter writer,
    ILogger<OfficeToggleWatch> log) : BackgroundService
{
    public const string OutsideUser = "outside the portal";
    public const string OutsideAction = "changed outside the portal";
    public const string FlipAction = "flip office toggle";
    public const string CreateAction = "create flag row";
    public const string RepairAction = "repair flag rows";

    /// <summary>The audit row key of a toggle's flag rows: the WHERE of every flip.</summary>
    public static string AuditKey(string toggleKey) => "app=" + toggleKey;

    private static readonly string[] ChangeActions = [FlipAction, OutsideAction, CreateAction, RepairAction];

    private sealed record Toggle(int Id, string TenantKey, string TenantName, string Name, string Key, string? KnownState, int KnownVersion);

    private readonly SemaphoreSlim scanning = new(1, 1);
    private readonly RecentDurations rounds = new(1000);
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly Lock watchGate = new();
    private readonly Dictionary<string, int> watchedTenants = new(StringComparer.OrdinalIgnoreCase);
    private int watchingAll;
    private long lastFullRound;

    public ToggleSnapshot? Latest { get; private set; }

    public WatchHealth Health { get; private set; } = new(null, null);

    /// <summary>Raised after every round, on the watcher's thread; components re-render with InvokeAsync.</summary>
    public event Action<ToggleSnapshot>? Updated;

    /// <summary>
    /// Raised when rounds start failing, fail differently or work again: pages show that instead of a clock ticking
    /// every second, which cost every open page a render a second and the browsers most of their CPU.
    /// </summary>
    public event Action<WatchHealth>? HealthChanged;

    /// <summary>
    /// Marks a page as showing one tenant's toggles (null: every tenant's, an operator's page) until the result is
    /// disposed: while it does, rounds come every <see cref="OfficeToggleOptions.PollInterval"/> and read those toggles
    /// on every node.
    /// </summary>
    public IDisposable Watch(string? tenantKey = null)
    {
        lock (watchGate)
        {
            if (tenantKey is null)
            {
                watchingAll++;
            }
            else
            {
                watchedTenants[tenantKey] = watchedTenants.GetValueOrDefault(tenantKey) + 1;
            }
        }
        Wake();
        return new Watcher(this, tenantKey);
    }

    private bool Watched
    {
        get
        {
            lock (watchGate)
            {
                return watchingAll > 0 || watchedTenants.Count > 0;
            }
        }
    }

    /// <summary>What pages show now: every tenant's toggles, or those of these tenants (none: nobody looks).</summary>
    private (bool All, HashSet<string> Tenants) Shown()
    {
        lock (watchGate)
        {
            return (watchingAll > 0, new HashSet<string>(watchedTenants.Keys, StringComparer.OrdinalIgnoreCase));
        }
    }

    private void Unwatch(string? tenantKey)
    {
        lock (watchGate)
        {
            if (tenantKey is null)
            {
                watchingAll--;
            }
            else if (--watchedTenants[tenantKey] == 0)
            {
                watchedTenants.Remove(tenantKey);
            }
        }
    }

    /// <summary>Starts the next round now, e.g. right after a flip.</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it in between: one round is enough.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A round that hangs (a master that stopped answering) is a failing round, not a watch that looks fine.
                using var round = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                round.CancelAfter(options.Value.RoundTimeout);
                await ScanAsync(round.Token);
                if (!Health.Reading)
                {
                    log.LogInformation("Office toggle watch: working again.");
                }
                Report(null);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Never let a round's failure end the loop: an exception out of a BackgroundService stops the host.
                // Logged once per outage, not twice a second while the master is down.
                if (Health.Reading)
                {
                    log.LogWarning(e, "Office toggle watch: a round failed; retrying until it works.");
                }
                Report(e is OperationCanceledException ? $"no answer within {options.Value.RoundTimeout.TotalSeconds:0.#} s" : e.Message);
            }
            await wake.WaitAsync(Watched ? options.Value.PollInterval : options.Value.IdleInterval, stoppingToken);
        }
    }

    private void Report(string? error)
    {
        if (Health.Error == error)
        {
            return;
        }
        Health = new WatchHealth(Latest?.AtUtc, error);
        HealthChanged?.Invoke(Health);
    }

    /// <summary>
    /// One round: read, audit what changed outside the portal, publish. Rounds never overlap. The toggles pages show
    /// are read on every node, with their last change; the others on the master only, and only every
    /// <see cref="OfficeToggleOptions.IdleInterval"/> while pages look at a few tenants: a flip from a phone is noticed
    /// and audited within that on any toggle, and a tenant's page does not make every round read all the tenants'
    /// toggles on every node (a thousand of them, most of a round's time and garbage).
    /// </summary>
    public async Task<ToggleSnapshot> ScanAsync(CancellationToken ct)
    {
        await scanning.WaitAsync(ct);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (all, tenants) = Shown();
            var full = all || tenants.Count == 0 || Latest is null || Stopwatch.GetElapsedTime(lastFullRound, started) >= options.Value.IdleInterval;
            await using var connection = new MySqlConnection(Unreset(database.Value.AsteriskConnectionString));
            await connection.OpenAsync(ct);
            // Toggles first, flag rows second: a portal flip that commits in between then shows as a known value older
            // than the rows, and the compare-and-set below fails instead of logging the portal's own flip as outside.
            var toggles = await TogglesAsync(connection, full ? null : tenants, ct);
            var flagContexts = await FlagContextsAsync(connection, toggles, ct);
            var onMaster = await FlagRowsAsync(connection, flagContexts, ct);
            foreach (var toggle in toggles)
            {
                await NoticeAsync(toggle, Observed(onMaster.GetValueOrDefault(toggle.Key, [])), ct);
            }

            var shownKeys = toggles.Where(t => all || tenants.Contains(t.TenantKey)).Select(t => t.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var nodes = new List<(string Node, Task<Dictionary<string, List<string>>> Rows)>();
            if (shownKeys.Count > 0)
            {
                var shownContexts = flagContexts.Where(f => shownKeys.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);
                nodes.AddRange(replication.Value.Replicas.Select(r => (r.Name, ReadReplicaAsync(r, shownContexts, ct))));
            }
            var changes = shownKeys.Count > 0 ? await LastChangesAsync(connection, [.. shownKeys], ct) : [];
            var states = new List<ToggleState>(toggles.Count);
            var previous = Latest?.Toggles.ToDictionary(t => t.Id) ?? [];
            foreach (var toggle in toggles)
            {
                var flags = new List<NodeFlag> { new(NodeFlag.Master, onMaster.GetValueOrDefault(toggle.Key, [])) };
                foreach (var (node, rows) in shownKeys.Contains(toggle.Key) ? nodes : [])
                {
                    try
                    {
                        flags.Add(new NodeFlag(node, (await rows).GetValueOrDefault(toggle.Key, [])));
                    }
                    catch (Exception e) when (e is MySqlException or OperationCanceledException && !ct.IsCancellationRequested)
                    {
                        flags.Add(new NodeFlag(node, [], e is OperationCanceledException ? $"no answer within {options.Value.NodeTimeout.TotalMilliseconds:0} ms" : e.Message));
                    }
                }
                var state = new ToggleState(toggle.Id, toggle.TenantKey, toggle.TenantName, toggle.Name, toggle.Key, flags, changes.GetValueOrDefault(toggle.Key));
                states.Add(previous.TryGetValue(toggle.Id, out var same) && Same(same, state) ? same : state);
            }
            var byTenant = states.Where(t => tenants.Contains(t.TenantKey)).GroupBy(t => t.TenantKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            var snapshot = new ToggleSnapshot(DateTime.UtcNow, full ? states : Merge(Latest!.Toggles, byTenant, tenants), byTenant);
            if (full)
            {
                lastFullRound = started;
            }
            rounds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            Latest = snapshot;
            Updated?.Invoke(snapshot);
            return snapshot;
        }
        finally
        {
            scanning.Release();
        }
    }

    /// <summary>
    /// The last snapshot with these tenants' toggles as this round read them (its per-tenant lists): in place of theirs
    /// (the list stays ordered by tenant), a tenant new to the list at its end until the next full round orders it.
    /// </summary>
    private static List<ToggleState> Merge(IReadOnlyList<ToggleState> previous, Dictionary<string, List<ToggleState>> read, HashSet<string> tenants)
    {
        var merged = new List<ToggleState>(previous.Count + read.Values.Sum(g => g.Count));
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in previous)
        {
            if (!tenants.Contains(state.TenantKey))
            {
                merged.Add(state);
            }
            else if (read.TryGetValue(state.TenantKey, out var group) && placed.Add(state.TenantKey))
            {
                merged.AddRange(group);
            }
        }
        merged.AddRange(read.Where(r => !placed.Contains(r.Key)).SelectMany(r => r.Value));
        return merged;
    }

    /// <summary>
    /// Whether a toggle reads as it did last round. Then the round keeps the old instance, so every page watching can
    /// tell by reference that nothing it shows changed and skip its render: with hundreds of pages open, re-rendering
    /// each of them twice a second for nothing is most of the portal's work.
    /// </summary>
    public static bool Same(ToggleState a, ToggleState b)
    {
        // Field by field, not `a with { Nodes = b.Nodes } == b`: a full round compares a thousand toggles, and a copy
        // of each was most of a round's garbage.
        if (a.Id != b.Id || a.TenantKey != b.TenantKey || a.TenantName != b.TenantName || a.Name != b.Name || a.Key != b.Key
            || a.LastChange != b.LastChange || a.Nodes.Count != b.Nodes.Count)
        {
            return false;
        }
        for (var i = 0; i < a.Nodes.Count; i++)
        {
            var (x, y) = (a.Nodes[i], b.Nodes[i]);
            if (x.Node != y.Node || x.Error != y.Error || !x.Values.SequenceEqual(y.Values))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The value a toggle's flag rows stand for: their appdata, distinct and in order; null when there are none.</summary>
    public static string? Observed(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var joined = string.Join(",", values.Distinct());
        // known_state is varchar(128), as long as one appdata; only duplicated rows can make it longer.
        return joined.Length > 128 ? joined[..128] : joined;
    }

    /// <summary>
    /// Compares a toggle's rows with what the portal knows. The update is a compare-and-set on known_version, so a
    /// portal flip or another portal instance that got there first wins, and one change is never logged twice.
    /// </summary>
    private async Task NoticeAsync(Toggle toggle, string? observed, CancellationToken ct)
    {
        if (toggle.KnownVersion > 0 && toggle.KnownState == observed)
        {
            return;
        }
        // The first sight of a toggle (version 0) records a baseline; only later differences are flips.
        var outside = toggle.KnownVersion > 0;
        var who = new Caller(OutsideUser, IsOperator: false, TenantKey: toggle.TenantKey);
        await writer.WriteAsync(who, outside ? OutsideAction : "baseline office toggle", async (scope, token) =>
        {
            await using var command = new MySqlCommand(
                $"UPDATE `{database.Value.PortalDatabase}`.office_toggles SET known_state = @state, known_version = known_version + 1 WHERE id = @id AND known_version = @version",
                scope.Connection);
            command.Parameters.AddWithValue("@state", observed);
            command.Parameters.AddWithValue("@id", toggle.Id);
            command.Parameters.AddWithValue("@version", toggle.KnownVersion);
            if (await command.ExecuteNonQueryAsync(token) == 1 && outside)
            {
                scope.Audit(new AuditChange("extensions", AuditKey(toggle.Key), Appdata(toggle.KnownState), Appdata(observed)));
                log.LogInformation("Office toggle {Key} of {Tenant} changed outside the portal: {Old} -> {New}", toggle.Key, toggle.TenantKey, toggle.KnownState, observed);
            }
        }, ct);
    }

    public static Dictionary<string, object?> Appdata(string? value) => new() { ["appdata"] = value };

    /// <summary>Every toggle, or those of the given tenants, ordered by tenant.</summary>
    private async Task<List<Toggle>> TogglesAsync(MySqlConnection connection, IReadOnlyCollection<string>? tenants, CancellationToken ct)
    {
        var portal = database.Value.PortalDatabase;
        var of = tenants is null ? "" : $"WHERE t.tenant_key IN ({string.Join(",", tenants.Select((_, i) => "@t" + i))}) ";
        await using var command = new MySqlCommand(
            $"SELECT o.id, t.tenant_key, t.name, o.name, o.toggle_key, o.known_state, o.known_version FROM `{portal}`.office_toggles o " +
            $"JOIN `{portal}`.tenants t ON t.id = o.tenant_id {of}ORDER BY t.tenant_key, o.name",
            connection);
        foreach (var (tenant, i) in (tenants ?? []).Select((t, i) => (t, i)))
        {
            command.Parameters.AddWithValue("@t" + i, tenant);
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        var toggles = new List<Toggle>();
        while (await reader.ReadAsync(ct))
        {
            toggles.Add(new Toggle(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6)));
        }
        return toggles;
    }

    /// <summary>
    /// The contexts of each toggle's tenant, by toggle key: the flag rows that count are the tenant's own, as a flip
    /// changes only those (a row with the key in another tenant's dialplan is not this tenant's toggle).
    /// </summary>
    private async Task<Dictionary<string, HashSet<string>>> FlagContextsAsync(MySqlConnection connection, List<Toggle> toggles, CancellationToken ct)
    {
        var portal = database.Value.PortalDatabase;
        var tenantKeys = toggles.Select(t => t.TenantKey).Distinct(StringComparer.Ordinal).ToList();
        var contexts = tenantKeys.ToDictionary(k => k, _ => new HashSet<string>(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        if (tenantKeys.Count > 0)
        {
            await using var command = new MySqlCommand(
                $"SELECT t.tenant_key, c.context FROM `{portal}`.tenant_contexts c JOIN `{portal}`.tenants t ON t.id = c.tenant_id " +
                $"WHERE t.tenant_key IN ({string.Join(",", tenantKeys.Select((_, i) => "@t" + i))})",
                connection);
            for (var i = 0; i < tenantKeys.Count; i++)
            {
                command.Parameters.AddWithValue("@t" + i, tenantKeys[i]);
            }
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                contexts[reader.GetString(0)].Add(reader.GetString(1));
            }
        }
        return toggles.ToDictionary(t => t.Key, t => contexts[t.TenantKey], StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The appdata of each key's flag rows in the key's tenant's contexts (<paramref name="contexts"/>), in the order
    /// Asterisk's realtime lookup meets them (the table's primary key). Keys and contexts are matched without case, as
    /// MySQL compares them.
    /// </summary>
    public static async Task<Dictionary<string, List<string>>> FlagRowsAsync(MySqlConnection connection, IReadOnlyDictionary<string, HashSet<string>> contexts, CancellationToken ct)
    {
        var rows = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        if (contexts.Count == 0)
        {
            return rows;
        }
        var keys = contexts.Keys.ToList();
        await using var command = new MySqlCommand { Connection = connection };
        command.CommandText = $"SELECT app, appdata, context FROM extensions WHERE app IN ({string.Join(",", keys.Select((_, i) => "@k" + i))}) ORDER BY context, exten, priority";
        for (var i = 0; i < keys.Count; i++)
        {
            command.Parameters.AddWithValue("@k" + i, keys[i]);
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var app = reader.GetString(0);
            if (!contexts.TryGetValue(app, out var own) || !own.Contains(reader.GetString(2)))
            {
                continue;
            }
            if (!rows.TryGetValue(app, out var values))
            {
                rows[app] = values = [];
            }
            values.Add(reader.GetString(1));
        }
        return rows;
    }

    /// <summary>A replica, read with the monitor account only, and given <see cref="OfficeToggleOptions.NodeTimeout"/> to answer.</summary>
    private async Task<Dictionary<string, List<string>>> ReadReplicaAsync(ReplicaEndpoint replica, IReadOnlyDictionary<string, HashSet<string>> keys, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.NodeTimeout);
        await using var connection = new MySqlConnection(Unreset(replication.Value.ConnectionString(replica)));
        await connection.OpenAsync(timeout.Token);
        return await FlagRowsAsync(connection, keys, timeout.Token);
    }

    /// <summary>
    /// A round's connections skip the pool's reset (a round trip per node, twice a second, and a wait for a thread each
    /// while the portal is busy): its statements read only, and set no session state for the next user to inherit.
    /// </summary>
    private static string Unreset(string connectionString) => new MySqlConnectionStringBuilder(connectionString) { ConnectionReset = false }.ConnectionString;

    /// <summary>The newest change of each toggle key in the audit log (refused attempts are not changes).</summary>
    private async Task<Dictionary<string, ToggleChange>> LastChangesAsync(MySqlConnection connection, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var changes = new Dictionary<string, ToggleChange>(StringComparer.OrdinalIgnoreCase);
        if (keys.Count == 0)
        {
            return changes;
        }
        var audit = $"`{database.Value.PortalDatabase}`.audit_log";
        await using var command = new MySqlCommand { Connection = connection };
        command.CommandText =
            $"SELECT a.row_key, a.user_name, a.at, a.action, a.old_values, a.new_values FROM {audit} a JOIN (" +
            $"SELECT row_key, MAX(id) AS id FROM {audit} WHERE table_name = 'extensions' " +
            $"AND row_key IN ({string.Join(",", keys.Select((_, i) => "@k" + i))}) AND action IN ({string.Join(",", ChangeActions.Select((_, i) => "@a" + i))}) " +
            "GROUP BY row_key) newest ON newest.id = a.id";
        for (var i = 0; i < keys.Count; i++)
        {
            command.Parameters.AddWithValue("@k" + i, AuditKey(keys[i]));
        }
        for (var i = 0; i < ChangeActions.Length; i++)
        {
            command.Parameters.AddWithValue("@a" + i, ChangeActions[i]);
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            changes[reader.GetString(0)["app=".Length..]] = new ToggleChange(reader.GetString(1), DateTime.SpecifyKind(reader.GetDateTime(2), DateTimeKind.Utc),
                reader.GetString(3), AppdataIn(reader, 4), AppdataIn(reader, 5));
        }
        return changes;
    }

    private static string? AppdataIn(MySqlDataReader reader, int column)
    {
        if (reader.IsDBNull(column))
        {
            return null;
        }
        using var json = JsonDocument.Parse(reader.GetString(column));
        return json.RootElement.TryGetProperty("appdata", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    public void Render(StringBuilder text)
    {
        rounds.Render(text, "portal_office_watch_round_seconds", "One round of the office toggle watch, from its first read until it publishes", 0.5, 0.99, 1);
        rounds.RenderTotal(text, "portal_office_watch_rounds_total", "Rounds of the office toggle watch that published.");
    }

    public override void Dispose()
    {
        scanning.Dispose();
        wake.Dispose();
        base.Dispose();
    }

    private sealed class Watcher(OfficeToggleWatch watch, string? tenantKey) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                watch.Unwatch(tenantKey);
            }
        }
    }
}
