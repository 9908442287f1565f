using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Replication;
using Portal.Web.Features.Voicemail;

namespace Portal.IntegrationTests;

/// <summary>A throwaway tenant of one test: its own key, accountcode, contexts and office-closed flag row.</summary>
public sealed record TestTenant(int Id, string Key, string Accountcode, IReadOnlyList<string> Contexts)
{
    public Caller Admin => new($"admin@{Key}.test", IsOperator: false, TenantKey: Key);

    public string Context => Contexts[0];
}

/// <summary>
/// The tenant-data commands wired as Program.cs wires them, against the test cluster, and fresh tenants for tests
/// that must not see each other's rows (nor the demo's).
/// </summary>
public static class TestTenants
{
    public static readonly Caller Operator = new("test-operator", IsOperator: true, TenantKey: null);

    /// <summary>The asterisk account on the master: what a phone's RealTimeUpdate runs as (UPDATE on appdata only).</summary>
    public static string AsteriskConnectionString => $"Server=127.0.0.1;Port={TestCluster.Port};User ID=asterisk;Password=asterisk-dev;Database=asteriskdb";

    public static ServiceProvider Services()
    {
        var database = TestCluster.Database();
        var serverVersion = ServerVersion.Parse(database.ServerVersion);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Options.Create(database));
        services.AddSingleton(Options.Create(TestCluster.Replication()));
        services.AddSingleton(Options.Create(new VoicemailOptions()));
        services.AddSingleton(Options.Create(new OfficeToggleOptions()));
        services.AddPooledDbContextFactory<AsteriskDb>(o => o.UseMySql(database.AsteriskConnectionString, serverVersion));
        services.AddDbContextFactory<PortalDb>(o => o.UseMySql(database.PortalConnectionString, serverVersion).AddInterceptors(new StrictSession()));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => RealtimeSchema.FromMigration());
        services.AddSingleton<MasterState>();
        services.AddSingleton<MasterWriter>();
        services.AddSingleton<TenantDirectory>();
        services.AddSingleton<GtidConfirmations>();
        services.AddSingleton<PinCommands>();
        services.AddSingleton<VoicemailCommands>();
        services.AddSingleton<OfficeToggleCommands>();
        services.AddSingleton<OfficeToggleWatch>();
        return services.BuildServiceProvider();
    }

    /// <summary>A new tenant with two contexts, a unique accountcode, its default toggle and its flag row (off).</summary>
    public static async Task<TestTenant> CreateAsync(IServiceProvider services)
    {
        var key = "t" + Guid.NewGuid().ToString("N")[..8];
        var accountcode = Random.Shared.NextInt64(10_000_000, 99_999_999).ToString();
        var contexts = new[] { key, key + "-ld" };
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDb>>().CreateDbContextAsync())
        {
            var tenant = new Tenant
            {
                Key = key,
                Name = "Test " + key,
                Accountcode = accountcode,
                Contexts = contexts.Select(c => new TenantContext { Context = c }).ToList(),
                Toggles = [new OfficeToggle { Key = key }],
            };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync();
            await services.GetRequiredService<MasterWriter>().WriteAsync(Operator, "test tenant", (scope, _) =>
            {
                scope.Db.Extensions.Add(new Extension { Context = key, Exten = OfficeToggleCommands.DefaultFlagExten, Priority = 1, App = key, Appdata = "off" });
                return Task.CompletedTask;
            }, CancellationToken.None);
            return new TestTenant(tenant.Id, key, accountcode, contexts);
        }
    }

    /// <summary>Waits until both replicas have applied a write, then returns a scalar read on each.</summary>
    public static async Task<object?[]> OnReplicasAsync(WriteResult result, string sql)
    {
        var values = new List<object?>();
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.True(await TestCluster.WaitForGtidAsync(replica, result.Gtid!), $"{replica} did not apply {result.Gtid}");
            values.Add(await TestCluster.ScalarAsync(TestCluster.ReplicaConnectionString(replica), sql));
        }
        return [.. values];
    }

    public static Task<object?> OnMasterAsync(string sql) => TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, sql);

    /// <summary>How many refused attempts of this user the audit log holds.</summary>
    public static async Task<long> DenialsAsync(Caller caller) =>
        Convert.ToInt64(await OnMasterAsync($"SELECT COUNT(*) FROM portal.audit_log WHERE user_name = '{caller.UserName}' AND action LIKE 'denied:%'"));
}
