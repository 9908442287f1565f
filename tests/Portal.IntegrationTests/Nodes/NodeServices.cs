using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Nodes;

namespace Portal.IntegrationTests.Nodes;

/// <summary>The node feature's services, wired to the test cluster as Program.cs wires them to the real one.</summary>
public static class NodeServices
{
    public static readonly Caller Operator = new("node-test-operator", IsOperator: true, TenantKey: null);

    private static readonly ServerVersion Version = ServerVersion.Parse("10.11.0-mariadb");

    /// <summary>Data Protection as Program.cs sets it up (keys in the portal database): the secrets scripts/nodes saved through the portal decrypt here.</summary>
    public static readonly NodeSecrets Secrets = new(new ServiceCollection()
        .AddDbContext<PortalDb>(o => o.UseMySql(TestCluster.Database().PortalConnectionString, Version))
        .AddDataProtection().PersistKeysToDbContext<PortalDb>().SetApplicationName("asterisk-realtime-portal").Services
        .BuildServiceProvider()
        .GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>());

    public static PooledDbContextFactory<PortalDb> Portal() =>
        new(new DbContextOptionsBuilder<PortalDb>().UseMySql(TestCluster.Database().PortalConnectionString, Version).Options);

    public static NodeCommands Commands() => new(
        Portal(),
        new PooledDbContextFactory<AsteriskDb>(new DbContextOptionsBuilder<AsteriskDb>().UseMySql(TestCluster.Database().AsteriskConnectionString, Version).Options),
        TestCluster.Writer(),
        Options.Create(new NodesOptions()),
        Options.Create(TestCluster.Database()),
        Options.Create(TestCluster.Replication()),
        Options.Create(new Portal.Web.Features.SipPeers.SipDigestOptions()),
        Secrets,
        NullLogger<NodeCommands>.Instance);

    public static NodeChecks Checks() => new(Options.Create(TestCluster.Replication()), Options.Create(new NodesOptions()));

    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];
}
