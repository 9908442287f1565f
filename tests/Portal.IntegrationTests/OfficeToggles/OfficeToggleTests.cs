using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Replication;

namespace Portal.IntegrationTests.OfficeToggles;

[Collection(ClusterCollection.Name)]
public sealed class OfficeToggleTests : IDisposable
{
    private readonly ServiceProvider services = TestTenants.Services();

    private OfficeToggleCommands Toggles => services.GetRequiredService<OfficeToggleCommands>();

    private OfficeToggleWatch Watch => services.GetRequiredService<OfficeToggleWatch>();

    public void Dispose() => services.Dispose();

    private async Task<int> ToggleIdAsync(TestTenant tenant) =>
        Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT id FROM portal.office_toggles WHERE toggle_key = '{tenant.Key}'"));

    private async Task<ToggleState> ScanAsync(TestTenant tenant) =>
        (await Watch.ScanAsync(CancellationToken.None)).Toggles.Single(t => t.Key == tenant.Key);

    private static Task<object?> OutsideChangesAsync(TestTenant tenant) =>
        TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM portal.audit_log WHERE action = '{OfficeToggleWatch.OutsideAction}' AND row_key = 'app={tenant.Key}'");

    /// <summary>Refused sign-ins on the master, each a connection a failing round tried.</summary>
    private static async Task<long> AccessDeniedAsync() =>
        Convert.ToInt64(await TestCluster.ScalarAsync(TestCluster.RootConnectionString("master"), "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'ACCESS_DENIED_ERRORS'"));

    [Fact]
    public async Task A_flip_reaches_both_replicas_and_the_watch_shows_it_on_every_node_with_who_did_it()
    {
        var tenant = await TestTenants.CreateAsync(services);
        using var watching = Watch.Watch();
        await ScanAsync(tenant);

        var result = await Toggles.FlipAsync(tenant.Admin, await ToggleIdAsync(tenant), closed: true, CancellationToken.None);

        Assert.Equal(["on", "on"], await TestTenants.OnReplicasAsync(result, $"SELECT appdata FROM asteriskdb.extensions WHERE app = '{tenant.Key}'"));
        var state = await ScanAsync(tenant);
        Assert.Equal([NodeFlag.Master, .. TestCluster.Replicas], state.Nodes.Select(n => n.Node));
        Assert.All(state.Nodes, n => Assert.Equal("on", n.State));
        Assert.Equal((tenant.Admin.UserName, OfficeToggleWatch.FlipAction, "off", "on"), (state.LastChange!.UserName, state.LastChange.Action, state.LastChange.From, state.LastChange.To));
        Assert.Equal(0L, await OutsideChangesAsync(tenant));
    }

    [Fact]
    public async Task A_toggle_removed_since_its_last_flip_refuses_the_next_flip_and_nothing_changes()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var id = await ToggleIdAsync(tenant);
        await Toggles.FlipAsync(tenant.Admin, id, closed: true, CancellationToken.None);

        // Removed behind this instance's back (another portal instance, or by hand): what the flip kept is stale.
        await TestCluster.RootSqlAsync("master", $"DELETE FROM portal.office_toggles WHERE id = {id}");
        var refused = await Assert.ThrowsAsync<WriteRefusedException>(() => Toggles.FlipAsync(tenant.Admin, id, closed: false, CancellationToken.None));

        Assert.Contains("no such toggle", refused.Message);
        Assert.Equal("on", await TestTenants.OnMasterAsync($"SELECT appdata FROM extensions WHERE app = '{tenant.Key}'"));
        Assert.Equal(1L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM portal.audit_log WHERE action = '{OfficeToggleWatch.FlipAction}' AND row_key = 'app={tenant.Key}'"));
    }

    [Fact]
    public async Task A_replica_that_does_not_answer_is_shown_unreachable_and_the_others_still_read()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var replication = TestCluster.Replication();
        // Nothing listens on port 1: connecting fails at once, as with a replica that is down.
        replication.Replicas.Add(new ReplicaEndpoint { Name = "replica3", Host = "127.0.0.1", Port = 1 });
        var watch = new OfficeToggleWatch(
            Options.Create(TestCluster.Database()), Options.Create(replication), Options.Create(new OfficeToggleOptions()),
            services.GetRequiredService<MasterWriter>(), NullLogger<OfficeToggleWatch>.Instance);
        using var watching = watch.Watch();

        var state = (await watch.ScanAsync(CancellationToken.None)).Toggles.Single(t => t.Key == tenant.Key);

        Assert.Equal(["off", "off", "off", "unreachable"], state.Nodes.Select(n => n.State));
        Assert.NotNull(state.Nodes[3].Error);
    }

    [Fact]
    public async Task The_watch_says_once_when_its_rounds_start_failing_and_once_when_they_work_again()
    {
        var database = TestCluster.Database();
        var watch = new OfficeToggleWatch(
            Options.Create(database), Options.Create(TestCluster.Replication()),
            Options.Create(new OfficeToggleOptions { PollInterval = TimeSpan.FromMilliseconds(50), IdleInterval = TimeSpan.FromMilliseconds(50) }),
            services.GetRequiredService<MasterWriter>(), NullLogger<OfficeToggleWatch>.Instance);
        var changes = Channel.CreateUnbounded<WatchHealth>();
        var rounds = Channel.CreateUnbounded<ToggleSnapshot>();
        watch.HealthChanged += h => changes.Writer.TryWrite(h);
        watch.Updated += s => rounds.Writer.TryWrite(s);
        async Task<T> NextAsync<T>(Channel<T> channel) => await channel.Reader.ReadAsync(new CancellationTokenSource(Eventually.Deadline).Token);
        await watch.StartAsync(CancellationToken.None);
        try
        {
            var read = await NextAsync(rounds);
            Assert.True(watch.Health.Reading);

            // A wrong password: every round fails at once and the same way, and the master counts each refusal, which
            // shows the failing rounds going on.
            var master = database.Master;
            database.Master = new MySqlConnectionStringBuilder(master) { Password = "not-the-password" }.ConnectionString;
            var failing = await NextAsync(changes);
            Assert.False(failing.Reading);
            Assert.NotNull(failing.Error);
            Assert.True(failing.LastReadUtc >= read.AtUtc);
            var refused = await AccessDeniedAsync();
            await Eventually.GetAsync(AccessDeniedAsync, n => n >= refused + 3, "three more failing rounds");
            Assert.False(changes.Reader.TryRead(out var again), $"said again: {again}");

            database.Master = master;
            Assert.True((await NextAsync(changes)).Reading);
        }
        finally
        {
            await watch.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_tenants_page_has_its_toggles_read_on_every_node_and_the_others_only_in_the_masters_full_rounds()
    {
        var shown = await TestTenants.CreateAsync(services);
        var other = await TestTenants.CreateAsync(services);
        // No full round after the first while a tenant's page looks: what the other tenant's rows say is left unread.
        var watch = new OfficeToggleWatch(
            Options.Create(TestCluster.Database()), Options.Create(TestCluster.Replication()), Options.Create(new OfficeToggleOptions { IdleInterval = TimeSpan.FromHours(1) }),
            services.GetRequiredService<MasterWriter>(), NullLogger<OfficeToggleWatch>.Instance);
        async Task<(ToggleState Shown, ToggleState Other)> RoundAsync()
        {
            var toggles = (await watch.ScanAsync(CancellationToken.None)).Toggles;
            return (toggles.Single(t => t.Key == shown.Key), toggles.Single(t => t.Key == other.Key));
        }
        var watching = watch.Watch(shown.Key);

        var first = await RoundAsync();
        Assert.Equal([NodeFlag.Master, .. TestCluster.Replicas], first.Shown.Nodes.Select(n => n.Node));
        Assert.Equal([NodeFlag.Master], first.Other.Nodes.Select(n => n.Node));

        foreach (var tenant in new[] { shown, other })
        {
            await TestCluster.ScalarAsync(TestTenants.AsteriskConnectionString, $"UPDATE extensions SET appdata = 'on' WHERE app = '{tenant.Key}'");
        }
        var partial = await RoundAsync();
        Assert.Equal("on", partial.Shown.OnMaster.State);
        Assert.Same(first.Other, partial.Other);
        Assert.Equal(0L, await OutsideChangesAsync(other));

        // Nobody looks: every round is a full one, on the master, and notices the other tenant's flip from a phone.
        watching.Dispose();
        var full = await RoundAsync();
        Assert.Equal("on", full.Other.OnMaster.State);
        Assert.Equal(1L, await OutsideChangesAsync(other));
        Assert.Equal(1L, await OutsideChangesAsync(shown));
    }

    [Fact]
    public async Task A_flip_from_a_phone_is_noticed_by_the_watcher_and_audited_once()
    {
        var tenant = await TestTenants.CreateAsync(services);
        using var watching = Watch.Watch();
        Assert.Equal("off", (await ScanAsync(tenant)).OnMaster.State);

        // What *20 does: RealTimeUpdate(extensions|app|<key>|appdata|on), run by Asterisk as the asterisk user.
        await TestCluster.ScalarAsync(TestTenants.AsteriskConnectionString, $"UPDATE extensions SET appdata = 'on' WHERE app = '{tenant.Key}'");
        var state = await ScanAsync(tenant);
        await ScanAsync(tenant);

        Assert.Equal("on", state.OnMaster.State);
        Assert.Equal((OfficeToggleWatch.OutsideUser, OfficeToggleWatch.OutsideAction, "off", "on"), (state.LastChange!.UserName, state.LastChange.Action, state.LastChange.From, state.LastChange.To));
        Assert.Equal(1L, await OutsideChangesAsync(tenant));
        Assert.Equal(tenant.Key, await TestTenants.OnMasterAsync($"SELECT tenant_key FROM portal.audit_log WHERE action = '{OfficeToggleWatch.OutsideAction}' AND row_key = 'app={tenant.Key}'"));
    }

    [Fact]
    public async Task A_missing_or_duplicated_flag_row_is_reported_refuses_flips_and_only_an_operator_repairs_it()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var id = await ToggleIdAsync(tenant);
        var writer = services.GetRequiredService<MasterWriter>();
        await TestCluster.RootSqlAsync("master", $"DELETE FROM asteriskdb.extensions WHERE app = '{tenant.Key}'");

        Assert.Equal("missing", (await ScanAsync(tenant)).OnMaster.State);
        await Assert.ThrowsAsync<WriteRefusedException>(() => Toggles.FlipAsync(tenant.Admin, id, true, CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Toggles.CreateFlagRowAsync(tenant.Admin, id, CancellationToken.None));
        var created = await Toggles.CreateFlagRowAsync(TestTenants.Operator, id, CancellationToken.None);
        Assert.Equal(["off", "off"], await TestTenants.OnReplicasAsync(created, $"SELECT appdata FROM asteriskdb.extensions WHERE app = '{tenant.Key}' AND context = '{tenant.Key}' AND exten = 'office-closed'"));
        Assert.Equal("off", (await ScanAsync(tenant)).OnMaster.State);

        await writer.WriteAsync(TestTenants.Operator, "test duplicate", (scope, _) =>
        {
            scope.Db.Extensions.Add(new Extension { Context = tenant.Contexts[1], Exten = "flag", Priority = 1, App = tenant.Key, Appdata = "on" });
            return Task.CompletedTask;
        }, CancellationToken.None);
        var duplicated = await ScanAsync(tenant);
        Assert.Equal("duplicated", duplicated.OnMaster.State);
        Assert.Equal(["off", "on"], duplicated.OnMaster.Values);
        await Assert.ThrowsAsync<WriteRefusedException>(() => Toggles.FlipAsync(tenant.Admin, id, true, CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Toggles.RepairFlagRowsAsync(tenant.Admin, id, CancellationToken.None));

        var repaired = await Toggles.RepairFlagRowsAsync(TestTenants.Operator, id, CancellationToken.None);
        Assert.Equal([$"{tenant.Key}/off", $"{tenant.Key}/off"], await TestTenants.OnReplicasAsync(repaired, $"SELECT GROUP_CONCAT(context, '/', appdata) FROM asteriskdb.extensions WHERE app = '{tenant.Key}'"));
        Assert.Equal("off", (await ScanAsync(tenant)).OnMaster.State);
        // The row the test duplicated by hand is a change the toggle commands did not make; their own create and repair are not.
        Assert.Equal(1L, await OutsideChangesAsync(tenant));
    }

    [Fact]
    public async Task A_tenant_admin_cannot_flip_or_see_another_tenants_toggle()
    {
        var a = await TestTenants.CreateAsync(services);
        var b = await TestTenants.CreateAsync(services);
        var theirs = await ToggleIdAsync(b);
        var before = await TestTenants.DenialsAsync(a.Admin);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Toggles.FlipAsync(a.Admin, theirs, true, CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Toggles.RemoveAsync(a.Admin, theirs, CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Toggles.AddAsync(a.Admin, a.Key, new OfficeToggleForm { Name = "Holiday", Key = b.Key }, CancellationToken.None));

        Assert.Equal(before + 3, await TestTenants.DenialsAsync(a.Admin));
        Assert.Equal("off", await TestTenants.OnMasterAsync($"SELECT appdata FROM extensions WHERE app = '{b.Key}'"));
        var snapshot = await Watch.ScanAsync(CancellationToken.None);
        Assert.Equal([a.Key], snapshot.VisibleTo(a.Admin).Select(t => t.TenantKey).Distinct());
    }

    [Fact]
    public async Task An_operator_adds_a_second_toggle_but_not_on_an_application_name_nor_on_another_tenants_rows()
    {
        var a = await TestTenants.CreateAsync(services);
        var b = await TestTenants.CreateAsync(services);

        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() =>
            Toggles.AddAsync(TestTenants.Operator, a.Key, new OfficeToggleForm { Name = "Dial", Key = "dial" }, CancellationToken.None));
        await Assert.ThrowsAsync<WriteRefusedException>(() =>
            Toggles.AddAsync(TestTenants.Operator, a.Key, new OfficeToggleForm { Name = "Theirs", Key = b.Key }, CancellationToken.None));
        var noTenant = await Assert.ThrowsAsync<WriteRefusedException>(() =>
            Toggles.AddAsync(TestTenants.Operator, null, new OfficeToggleForm { Name = "Nobody's", Key = a.Key + "-none" }, CancellationToken.None));
        Assert.Equal("Choose the tenant the toggle is for.", noTenant.Message);

        var key = a.Key + "-hol";
        await Toggles.AddAsync(TestTenants.Operator, a.Key, new OfficeToggleForm { Name = "Holiday", Key = key }, CancellationToken.None);
        var id = Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT id FROM portal.office_toggles WHERE toggle_key = '{key}'"));
        var created = await Toggles.CreateFlagRowAsync(TestTenants.Operator, id, CancellationToken.None);
        var flipped = await Toggles.FlipAsync(a.Admin, id, closed: true, CancellationToken.None);

        Assert.Equal(["on", "on"], await TestTenants.OnReplicasAsync(flipped, $"SELECT appdata FROM asteriskdb.extensions WHERE app = '{key}' AND exten = '{key}'"));
        Assert.Equal("off", await TestTenants.OnMasterAsync($"SELECT appdata FROM extensions WHERE app = '{a.Key}'"));
        Assert.NotNull(created.Gtid);
    }
}
