using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;

namespace Portal.Web.Features.Replication;

/// <summary>Where reads go right now: the master (<see cref="Replica"/> null), or a replica and how far behind it is.</summary>
public sealed record ReadTarget(string? Replica, TimeSpan? Lag)
{
    public static ReadTarget Master { get; } = new(null, null);

    public bool IsMaster => Replica is null;
}

/// <summary>
/// Reads that keep working while the master is down. <see cref="Asterisk"/> and <see cref="Portal"/> are
/// <see cref="IDbContextFactory{TContext}"/>s that give contexts on the master while it is up and, while
/// <see cref="MasterState"/> says it is down, on the reachable replica with the least heartbeat lag, opened with the
/// monitor account (global SELECT, nothing that writes). Pages put <c>&lt;ReadSourceNotice /&gt;</c> above what they
/// read, which says which replica the data comes from and how far behind it is. Writes never come here: they go
/// through <see cref="MasterWriter"/>, which refuses them while the master is down.
/// </summary>
public sealed class ReadSource
{
    private readonly MasterState master;
    private readonly ReplicaMonitor monitor;

    private readonly ReplicationOptions replication;
    private readonly ServerVersion serverVersion;

    public ReadSource(
        MasterState master,
        ReplicaMonitor monitor,
        IDbContextFactory<AsteriskDb> asterisk,
        IDbContextFactory<PortalDb> portal,
        IOptions<DatabaseOptions> database,
        IOptions<ReplicationOptions> replication)
    {
        this.master = master;
        this.monitor = monitor;
        this.replication = replication.Value;
        serverVersion = ServerVersion.Parse(database.Value.ServerVersion);
        Asterisk = new Routed<AsteriskDb>(this, asterisk, database.Value.AsteriskDatabase, o => new AsteriskDb(o));
        Portal = new Routed<PortalDb>(this, portal, database.Value.PortalDatabase, o => new PortalDb(o));
    }

    /// <summary>The Asterisk tables, on the master or the best replica.</summary>
    public IDbContextFactory<AsteriskDb> Asterisk { get; }

    /// <summary>The portal's own tables (tenants and their contexts, for tenant checks), on the master or the best replica.</summary>
    public IDbContextFactory<PortalDb> Portal { get; }

    /// <summary>
    /// The master while it is up. While it is down, the reachable replica with the least heartbeat lag (preferring
    /// one whose SQL thread runs); if none answers either, the master, whose reads then fail as they would anyway.
    /// </summary>
    public ReadTarget Current
    {
        get
        {
            if (!master.IsDown)
            {
                return ReadTarget.Master;
            }
            var best = Best();
            return best is null ? ReadTarget.Master : new ReadTarget(best.Name, best.Lag);
        }
    }

    private ReplicaView? Best() =>
        monitor.Replicas
            .Where(r => r.State != ReplicaState.Unreachable && r.Lag is not null)
            .OrderBy(r => r.Status?.SqlYes == true ? 0 : 1)
            .ThenBy(r => r.Lag)
            .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .FirstOrDefault();

    private sealed class Routed<TContext>(ReadSource source, IDbContextFactory<TContext> onMaster, string database, Func<DbContextOptions<TContext>, TContext> create)
        : IDbContextFactory<TContext>
        where TContext : DbContext
    {
        private readonly ConcurrentDictionary<string, DbContextOptions<TContext>> replicas = new();

        public TContext CreateDbContext() => OnReplica() ?? onMaster.CreateDbContext();

        public async Task<TContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            OnReplica() ?? await onMaster.CreateDbContextAsync(cancellationToken);

        private TContext? OnReplica()
        {
            if (!source.master.IsDown || source.Best() is not { } best)
            {
                return null;
            }
            var connectionString = source.replication.ConnectionString(best.Replica.Endpoint, database);
            return create(replicas.GetOrAdd(connectionString, cs => new DbContextOptionsBuilder<TContext>().UseMySql(cs, source.serverVersion).Options));
        }
    }
}
