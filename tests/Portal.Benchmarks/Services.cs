using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.IntegrationTests;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Replication;
using Portal.Web.Features.SipPeers;
using Portal.Web.Features.Voicemail;

namespace Portal.Benchmarks;

/// <summary>The portal's own query and command classes, built as Program.cs builds them, on the benchmark cluster.</summary>
public sealed class Services
{
    public Services()
    {
        var database = TestCluster.Database();
        var version = ServerVersion.Parse(database.ServerVersion);
        Asterisk = new PooledDbContextFactory<AsteriskDb>(new DbContextOptionsBuilder<AsteriskDb>().UseMySql(database.AsteriskConnectionString, version).Options);
        Portal = new PooledDbContextFactory<PortalDb>(new DbContextOptionsBuilder<PortalDb>().UseMySql(database.PortalConnectionString, version).Options);
        Tenants = new TenantDirectory(Portal);
        Writer = TestCluster.Writer(database);
        Schema = RealtimeSchema.FromMigration();
        Peers = new SipPeerList(Asterisk, Tenants, TimeProvider.System);
        Toggles = new OfficeToggleCommands(Portal, Tenants, Writer, Schema, Options.Create(database));
        Dialplan = new DialplanQueries(Asterisk, Tenants, Writer, new StepFormValidator(Schema), new ContextCounts(Writer, TimeProvider.System), new Portal.Web.Features.Nodes.ClusterAsterisk(Portal));
        // The same queries keeping nothing: what the first visit after a change pays where the database keeps no count.
        DialplanCounted = new DialplanQueries(Asterisk, Tenants, Writer, new StepFormValidator(Schema), new ContextCounts(Writer, TimeProvider.System) { Lifetime = TimeSpan.Zero }, new Portal.Web.Features.Nodes.ClusterAsterisk(Portal));
        Pins = new PinCommands(Asterisk, Portal, Writer, Schema, NullLogger<PinCommands>.Instance);
        Voicemail = new VoicemailCommands(Asterisk, Portal, Tenants, Writer, Schema, Options.Create(new VoicemailOptions()), Options.Create(database));
        var replication = TestCluster.Replication();
        Confirmations = new GtidConfirmations(new ReplicaRegistry(Options.Create(replication), Options.Create(database), TimeProvider.System, NullLogger<ReplicaRegistry>.Instance), Options.Create(replication));
    }

    public static readonly Caller Operator = new("benchmark", IsOperator: true, TenantKey: null);

    public IDbContextFactory<AsteriskDb> Asterisk { get; }
    public IDbContextFactory<PortalDb> Portal { get; }
    public TenantDirectory Tenants { get; }
    public MasterWriter Writer { get; }
    public RealtimeSchema Schema { get; }
    public SipPeerList Peers { get; }
    public OfficeToggleCommands Toggles { get; }
    public DialplanQueries Dialplan { get; }
    public DialplanQueries DialplanCounted { get; }
    public PinCommands Pins { get; }
    public VoicemailCommands Voicemail { get; }
    public GtidConfirmations Confirmations { get; }
}
