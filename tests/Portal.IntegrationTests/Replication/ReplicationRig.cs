using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Replication;

namespace Portal.IntegrationTests.Replication;

/// <summary>
/// The replication services as the portal composes them, built directly on the test cluster and run in-process:
/// the master probe, the heartbeat writer, the replica registry and monitor, GTID confirmations and the read source.
/// </summary>
public sealed class ReplicationRig : IAsyncDisposable
{
    private readonly List<IHostedService> started = [];

    private ReplicationRig(ReplicationOptions settings)
    {
        Settings = settings;
        var database = Options.Create(Database);
        var replication = Options.Create(settings);
        Master = new MasterState(TimeProvider.System);
        Probe = new MasterProbe(Master, database, Options.Create(new MasterProbeOptions()), NullLogger<MasterProbe>.Instance);
        Writer = new MasterWriter(database, Master, NullLogger<MasterWriter>.Instance);
        Heartbeat = new HeartbeatWriter(replication, database, Master, NullLogger<HeartbeatWriter>.Instance);
        Registry = new ReplicaRegistry(replication, database, TimeProvider.System, NullLogger<ReplicaRegistry>.Instance);
        Monitor = new ReplicaMonitor(Registry, Heartbeat, replication, database, TimeProvider.System, NullLogger<ReplicaMonitor>.Instance);
        Confirmations = new GtidConfirmations(Registry, replication);
        var serverVersion = ServerVersion.Parse(Database.ServerVersion);
        PortalFactory = new PooledDbContextFactory<PortalDb>(new DbContextOptionsBuilder<PortalDb>().UseMySql(Database.PortalConnectionString, serverVersion).Options);
        var asterisk = new PooledDbContextFactory<AsteriskDb>(new DbContextOptionsBuilder<AsteriskDb>().UseMySql(Database.AsteriskConnectionString, serverVersion).Options);
        Reads = new ReadSource(Master, Monitor, asterisk, PortalFactory, database, replication);
        Commands = new ReplicaCommands(PortalFactory, Registry, Monitor, Master, Writer);
    }

    public DatabaseOptions Database { get; } = TestCluster.Database();

    public ReplicationOptions Settings { get; }

    public MasterState Master { get; }

    public MasterProbe Probe { get; }

    public MasterWriter Writer { get; }

    public HeartbeatWriter Heartbeat { get; }

    public ReplicaRegistry Registry { get; }

    public ReplicaMonitor Monitor { get; }

    public GtidConfirmations Confirmations { get; }

    public ReadSource Reads { get; }

    public ReplicaCommands Commands { get; }

    /// <summary>The portal database on the master, as the portal's own pages read it.</summary>
    public IDbContextFactory<PortalDb> PortalFactory { get; }

    /// <summary>Starts the services with the test cluster's replicas and the given settings, and waits until the configured ones are healthy.</summary>
    public static async Task<ReplicationRig> StartAsync(Action<ReplicationOptions>? configure = null)
    {
        var settings = TestCluster.Replication();
        configure?.Invoke(settings);
        var rig = new ReplicationRig(settings);
        foreach (var service in new IHostedService[] { rig.Probe, rig.Heartbeat, rig.Monitor })
        {
            await service.StartAsync(CancellationToken.None);
            rig.started.Add(service);
        }
        foreach (var replica in settings.Replicas)
        {
            await rig.WaitForAsync(replica.Name, r => r.State == ReplicaState.Healthy);
        }
        return rig;
    }

    /// <summary>Polls the monitor's view until the condition holds, within a generous deadline; the view that satisfied it, or a failure naming the last view.</summary>
    public async Task<ReplicaView> WaitForAsync(string replica, Func<ReplicaView, bool> condition, TimeSpan? deadline = null) =>
        (await Eventually.GetAsync(() => Monitor.Find(replica), view => view is not null && condition(view), $"{replica} getting there", deadline))!;

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Enumerable.Reverse(started))
        {
            await service.StopAsync(CancellationToken.None);
        }
        foreach (var service in started.OfType<IDisposable>())
        {
            service.Dispose();
        }
        // Safe to dispose again (a test's explicit stop, then its using).
        started.Clear();
    }
}
