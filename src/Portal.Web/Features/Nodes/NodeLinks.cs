using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Asterisk.Manager;
using Portal.Web.Data;

namespace Portal.Web.Features.Nodes;

/// <summary>What the portal knows of a node through its manager link, as of <see cref="Since"/>.</summary>
public sealed record NodeLinkState(
    NodeLinkStatus Status,
    string Why,
    DateTime Since,
    string? AsteriskVersion = null,
    DateTime? StartedAt = null,
    DateTime? ReloadedAt = null,
    int? CallsUp = null,
    int? PeersWithAddress = null,
    long DroppedEvents = 0);

/// <summary>How often the links are checked; a node that stops answering is down within <see cref="PingDeadline"/> of its last answer.</summary>
public sealed record NodeLinkTimings(TimeSpan PingEvery, TimeSpan PingDeadline, TimeSpan StatusEvery, TimeSpan FirstRetry, TimeSpan LastRetry, TimeSpan NodeListEvery)
{
    public static readonly NodeLinkTimings Default = new(
        TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(1500), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
}

/// <summary>
/// One manager connection per node that has manager settings: logs in, pings, reads Asterisk's state and events,
/// reconnects with back-off (doubling up to <see cref="NodeLinkTimings.LastRetry"/>). Each node runs in a task of its
/// own, so a node that hangs or floods never delays another node, a page or a write.
/// </summary>
public sealed class NodeLinks(IDbContextFactory<PortalDb> portal, NodeSecrets secrets, ILogger<NodeLinks> log, NodeLinkTimings? timings = null) : BackgroundService
{
    private readonly ConcurrentDictionary<string, NodeLinkState> states = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ManagerConnection> connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Settings, CancellationTokenSource Stop, Task Run)> running = new(StringComparer.Ordinal);

    public NodeLinkTimings Timings { get; } = timings ?? NodeLinkTimings.Default;

    /// <summary>Raised (on the link's own task) whenever a node's state changes; handlers must not block.</summary>
    public event Action<string>? Changed;

    public NodeLinkState StateOf(string node) =>
        states.TryGetValue(node, out var state) ? state : new NodeLinkState(NodeLinkStatus.NotConfigured, "no manager settings", DateTime.UtcNow);

    /// <summary>Runs one CLI command through the node's Command action and returns its output lines.</summary>
    /// <exception cref="ManagerLinkException">The node is not connected, or did not answer in time.</exception>
    public async Task<IReadOnlyList<string>> CommandAsync(string node, string command, CancellationToken ct)
    {
        if (!connections.TryGetValue(node, out var connection))
        {
            var state = StateOf(node);
            throw new ManagerLinkException(state.Status, $"{node} is not connected: {state.Why}");
        }
        var response = await connection.SendAsync("Command", TimeSpan.FromSeconds(10), ct, ("Command", command));
        return response.IsSuccess ? response.Output : throw new ManagerLinkException(NodeLinkStatus.Connected, $"{node} refused the command: {response["Message"]}");
    }

    /// <summary>Looks at the node list once now (the page calls this after a save) instead of at the next interval.</summary>
    public Task RefreshNodesAsync(CancellationToken ct) => SyncAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not read the node list");
            }
            await Task.Delay(Timings.NodeListEvery, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        List<Task> stopping;
        lock (running)
        {
            stopping = running.Values.Select(r => { r.Stop.Cancel(); return r.Run; }).ToList();
        }
        await Task.WhenAll(stopping);
    }

    private async Task SyncAsync(CancellationToken ct)
    {
        await using var db = await portal.CreateDbContextAsync(ct);
        var nodes = await db.Nodes.AsNoTracking().Where(n => n.ManagerHost != null).ToListAsync(ct);
        lock (running)
        {
            var wanted = nodes.ToDictionary(n => n.Name, n => n, StringComparer.Ordinal);
            foreach (var (name, link) in running.ToList())
            {
                if (!wanted.TryGetValue(name, out var node) || Settings(node) != link.Settings)
                {
                    link.Stop.Cancel();
                    running.Remove(name);
                    states.TryRemove(name, out _);
                }
            }
            foreach (var node in nodes.Where(n => !running.ContainsKey(n.Name)))
            {
                var stop = new CancellationTokenSource();
                running[node.Name] = (Settings(node), stop, Task.Run(() => LinkAsync(node, stop.Token), CancellationToken.None));
            }
        }
    }

    private static string Settings(Node n) => $"{n.ManagerHost}:{n.ManagerPort}:{n.ManagerUser}:{n.ManagerSecretProtected}";

    private async Task LinkAsync(Node node, CancellationToken ct)
    {
        var retry = Timings.FirstRetry;
        Set(node.Name, new NodeLinkState(NodeLinkStatus.Connecting, $"connecting to {node.ManagerHost}:{node.ManagerPort}", DateTime.UtcNow));
        while (!ct.IsCancellationRequested)
        {
            try
            {
                string secret;
                try
                {
                    secret = node.ManagerSecretProtected is null ? "" : secrets.Unprotect(node.ManagerSecretProtected);
                }
                catch (System.Security.Cryptography.CryptographicException)
                {
                    throw new ManagerLinkException(NodeLinkStatus.Refused, "the saved manager secret cannot be decrypted with this portal's keys: save it again");
                }
                await using var connection = await ManagerConnection.OpenAsync(node.ManagerHost!, node.ManagerPort ?? Portal.Asterisk.Nodes.NodeManager.DefaultPort, node.ManagerUser ?? "", secret, Timings.PingDeadline, ct);
                retry = Timings.FirstRetry;
                connections[node.Name] = connection;
                try
                {
                    await WatchAsync(node.Name, connection, ct);
                }
                finally
                {
                    connections.TryRemove(node.Name, out _);
                }
            }
            catch (ManagerLinkException e)
            {
                log.LogInformation("Node {Node}: manager link {Status}: {Why}", node.Name, e.Status, e.Message);
                Set(node.Name, new NodeLinkState(e.Status, e.Message, DateTime.UtcNow));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever else goes wrong is shown and retried: the link's task must never end while the node is listed.
                log.LogWarning(e, "Node {Node}: manager link failed", node.Name);
                Set(node.Name, new NodeLinkState(NodeLinkStatus.Unreachable, $"{e.GetType().Name}: {e.Message}", DateTime.UtcNow));
            }
            await Task.Delay(retry, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, Timings.LastRetry.Ticks));
        }
    }

    // Connected: the state at once, then a Ping every PingEvery (any failure ends the link with its reason), the
    // state again every StatusEvery or when an event says it changed, and the events read as they come.
    private async Task WatchAsync(string node, ManagerConnection connection, CancellationToken ct)
    {
        var state = await ReadStateAsync(connection, ct);
        Set(node, state);
        var nextStatus = DateTime.UtcNow + Timings.StatusEvery;
        while (true)
        {
            var changed = false;
            while (connection.Events.TryRead(out var e))
            {
                changed |= e["Event"] is "Reload" or "FullyBooted" or "PeerStatus" or "Newchannel" or "Hangup";
            }
            if (changed || DateTime.UtcNow >= nextStatus)
            {
                state = await ReadStateAsync(connection, ct);
                Set(node, state);
                nextStatus = DateTime.UtcNow + Timings.StatusEvery;
            }
            await Task.WhenAny(Task.Delay(Timings.PingEvery, ct), connection.Closed);
            ct.ThrowIfCancellationRequested();
            if (connection.Closed.IsCompleted)
            {
                throw await connection.Closed;
            }
            await connection.SendAsync("Ping", Timings.PingDeadline, ct);
        }
    }

    private async Task<NodeLinkState> ReadStateAsync(ManagerConnection connection, CancellationToken ct)
    {
        var settings = await connection.SendAsync("CoreSettings", Timings.PingDeadline, ct);
        var status = await connection.SendAsync("CoreStatus", Timings.PingDeadline, ct);
        var peers = await connection.SendAsync("Command", Timings.PingDeadline, ct, ("Command", "sip show peers"));
        return new NodeLinkState(
            NodeLinkStatus.Connected,
            $"logged in (manager {connection.ManagerVersion})",
            DateTime.UtcNow,
            settings["AsteriskVersion"],
            At(status["CoreStartupDate"], status["CoreStartupTime"]),
            At(status["CoreReloadDate"], status["CoreReloadTime"]),
            int.TryParse(status["CoreCurrentCalls"], out var calls) ? calls : null,
            peers.IsSuccess ? SipPeersOutput.WithAddress(peers.Output) : null,
            connection.DroppedEvents);
    }

    // CoreStatus gives the node's local date and time ("2026-12-08", "02:31:07"); the nodes here run in UTC.
    private static DateTime? At(string? date, string? time) =>
        DateTime.TryParse($"{date} {time}", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;

    private void Set(string node, NodeLinkState state)
    {
        var before = states.TryGetValue(node, out var old) ? old : null;
        states[node] = before is not null && before.Status == state.Status && state.Status != NodeLinkStatus.Connected ? state with { Since = before.Since } : state;
        Changed?.Invoke(node);
    }
}
