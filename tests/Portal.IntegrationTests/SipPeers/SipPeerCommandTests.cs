using FluentValidation;
using Portal.Web.Data;
using Portal.Web.Features.SipPeers;

namespace Portal.IntegrationTests.SipPeers;

[Collection(ClusterCollection.Name)]
public sealed class SipPeerCommandTests
{
    private readonly SipPeerHarness peers = new();
    private static Caller Operator => SipPeerHarness.Operator;

    [Fact]
    public async Task Create_edit_and_delete_land_on_both_replicas()
    {
        var name = SipPeerHarness.Unique("crud-");
        var (id, created) = await peers.Commands.CreateAsync(Operator, SipPeerHarness.Form(name), CancellationToken.None);
        await SipPeerHarness.WaitEverywhereAsync(created);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.Equal("\"Test Desk\" <1001>", await SipPeerHarness.OnReplicaAsync(replica, $"SELECT callerid FROM asteriskdb.sip WHERE id = {id}"));
        }

        var row = await peers.ReadAsync(id);
        var form = SipPeerForm.From(row);
        form.Callerid = "\"Front Desk\" <1002>";
        form.Codecs = ["g722", "ulaw"];
        var edited = await peers.Commands.UpdateAsync(Operator, id, SipPeerForm.Snapshot(row), form, CancellationToken.None);
        await SipPeerHarness.WaitEverywhereAsync(edited);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.Equal("\"Front Desk\" <1002>", await SipPeerHarness.OnReplicaAsync(replica, $"SELECT callerid FROM asteriskdb.sip WHERE id = {id}"));
            Assert.Equal("g722;ulaw", await SipPeerHarness.OnReplicaAsync(replica, $"SELECT allow FROM asteriskdb.sip WHERE id = {id}"));
        }

        var deleted = await peers.Commands.DeleteAsync(Operator, id, SipPeerForm.Snapshot(await peers.ReadAsync(id)), CancellationToken.None);
        await SipPeerHarness.WaitEverywhereAsync(deleted);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.Equal(0L, await SipPeerHarness.OnReplicaAsync(replica, $"SELECT COUNT(*) FROM asteriskdb.sip WHERE id = {id}"));
        }
    }

    [Fact]
    public async Task Registration_written_by_asterisk_after_the_form_opened_survives_the_save()
    {
        var name = SipPeerHarness.Unique("reg-");
        var (id, _) = await peers.Commands.CreateAsync(Operator, SipPeerHarness.Form(name), CancellationToken.None);
        await SipPeerHarness.RegisterAsync(name, "192.0.2.10", 1_800_000_000);

        // The operator opens the form; meanwhile the phone registers again from elsewhere.
        var opened = await peers.ReadAsync(id);
        var form = SipPeerForm.From(opened);
        await SipPeerHarness.RegisterAsync(name, "2001:db8::77", 1_900_000_000);
        form.Callerid = "\"Moved Desk\" <1003>";
        var saved = await peers.Commands.UpdateAsync(Operator, id, SipPeerForm.Snapshot(opened), form, CancellationToken.None);

        var row = await peers.ReadAsync(id);
        Assert.Equal(("\"Moved Desk\" <1003>", "2001:db8::77", 1_900_000_000, "5062", "Yealink SIP-T46S"), (row.Callerid, row.Ipaddr, row.Regseconds, row.Port, row.Useragent));
        await SipPeerHarness.WaitEverywhereAsync(saved);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.Equal("2001:db8::77", await SipPeerHarness.OnReplicaAsync(replica, $"SELECT ipaddr FROM asteriskdb.sip WHERE id = {id}"));
        }
        var audit = (string?)await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString,
            $"SELECT new_values FROM portal.audit_log WHERE action = 'edit peer' AND table_name = 'sip' AND row_key = '{id}' ORDER BY id DESC LIMIT 1");
        Assert.NotNull(audit);
        Assert.DoesNotContain("ipaddr", audit);
        Assert.DoesNotContain("regseconds", audit);
    }

    [Fact]
    public async Task A_second_save_is_told_what_changed_since_it_opened_and_nothing_is_overwritten()
    {
        var name = SipPeerHarness.Unique("conf-");
        var (id, _) = await peers.Commands.CreateAsync(Operator, SipPeerHarness.Form(name), CancellationToken.None);
        var opened = await peers.ReadAsync(id);
        var first = SipPeerForm.From(opened);
        var second = SipPeerForm.From(opened);

        first.Context = "company-b";
        first.Secret = SipPeerForm.GenerateSecret();
        await peers.Commands.UpdateAsync(Operator, id, SipPeerForm.Snapshot(opened), first, CancellationToken.None);

        second.Callerid = "\"Second\" <2002>";
        var conflict = await Assert.ThrowsAsync<SipPeerConflict>(() =>
            peers.Commands.UpdateAsync(Operator, id, SipPeerForm.Snapshot(opened), second, CancellationToken.None));
        Assert.Equal(["context", "secret"], conflict.Columns.Select(c => c.Column).Order());
        var context = conflict.Columns.Single(c => c.Column == "context");
        Assert.Equal(("company-a", "company-b"), (context.Yours, context.Theirs));
        Assert.True(conflict.Columns.Single(c => c.Column == "secret").IsSecret);
        var row = await peers.ReadAsync(id);
        Assert.Equal(("company-b", "\"Test Desk\" <1001>", first.Secret), (row.Context, row.Callerid, row.Secret));

        // "Overwrite with mine": the row as it is now becomes the original, and the save goes through.
        await peers.Commands.UpdateAsync(Operator, id, SipPeerForm.Snapshot(conflict.Current), second, CancellationToken.None);
        row = await peers.ReadAsync(id);
        Assert.Equal(("company-a", "\"Second\" <2002>", second.Secret), (row.Context, row.Callerid, row.Secret));

        // Deleting a peer that changed since is a conflict as well.
        await Assert.ThrowsAsync<SipPeerConflict>(() => peers.Commands.DeleteAsync(Operator, id, SipPeerForm.Snapshot(opened), CancellationToken.None));
        Assert.Equal(name, (await peers.ReadAsync(id)).Name);
    }

    [Fact]
    public async Task A_peer_deleted_meanwhile_is_reported_not_recreated()
    {
        var (id, _) = await peers.Commands.CreateAsync(Operator, SipPeerHarness.Form(SipPeerHarness.Unique("gone-")), CancellationToken.None);
        var opened = await peers.ReadAsync(id);
        await peers.Commands.DeleteAsync(Operator, id, SipPeerForm.Snapshot(opened), CancellationToken.None);
        var error = await Assert.ThrowsAsync<WriteRefusedException>(() =>
            peers.Commands.UpdateAsync(Operator, id, SipPeerForm.Snapshot(opened), SipPeerForm.From(opened), CancellationToken.None));
        Assert.Contains("deleted", error.Message);
    }

    [Fact]
    public async Task A_taken_name_is_refused_on_the_name_field_whatever_its_case()
    {
        var name = SipPeerHarness.Unique("dup-");
        await peers.Commands.CreateAsync(Operator, SipPeerHarness.Form(name), CancellationToken.None);
        var error = await Assert.ThrowsAsync<ValidationException>(() => peers.Commands.CreateAsync(Operator, SipPeerHarness.Form(name.ToUpperInvariant()), CancellationToken.None));
        Assert.Equal("Name", error.Errors.Single().PropertyName);
    }

    [Fact]
    public async Task Md5secret_is_stored_instead_of_the_secret_and_neither_reaches_the_audit()
    {
        var name = SipPeerHarness.Unique("md5-");
        var form = SipPeerHarness.Form(name);
        form.StoreMd5 = true;
        var (id, _) = await peers.Commands.CreateAsync(Operator, form, CancellationToken.None);
        var row = await peers.ReadAsync(id);
        Assert.Null(row.Secret);
        Assert.Equal(Portal.Asterisk.Sip.Md5Secret.Compute(name, "asterisk", form.Secret), row.Md5secret);
        var audit = (string?)await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString,
            $"SELECT new_values FROM portal.audit_log WHERE action = 'create peer' AND row_key = '{id}'");
        Assert.NotNull(audit);
        Assert.DoesNotContain(row.Md5secret!, audit);
        Assert.DoesNotContain(form.Secret, audit);
    }

    [Fact]
    public async Task A_tenant_admin_is_refused_and_the_attempt_audited()
    {
        var admin = new Caller("admin@company-a.test", IsOperator: false, TenantKey: "company-a");
        var name = SipPeerHarness.Unique("deny-");
        await Assert.ThrowsAsync<AccessDeniedException>(() => peers.Commands.CreateAsync(admin, SipPeerHarness.Form(name), CancellationToken.None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => peers.List.CountAsync(admin, new SipPeerFilter(), CancellationToken.None));
        Assert.Equal(1L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString,
            $"SELECT COUNT(*) FROM portal.audit_log WHERE action = 'denied: create peer' AND row_key = '{name}'"));
        Assert.Equal(0L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM sip WHERE name = '{name}'"));
    }

    [Fact]
    public async Task Strict_mode_refuses_what_a_wrong_schema_lets_through_rather_than_truncate()
    {
        // A validator that believes callerid holds 200 characters: the database (varchar(80), strict) must refuse.
        var sizes = RealtimeSchema.ParseCreateTables(File.ReadAllText(Path.Combine(Migrator.Folder, "0001_asterisk_realtime_tables.sql")));
        sizes[("sip", "callerid")] = 200;
        var lying = new SipPeerHarness(new RealtimeSchema(sizes));
        var name = SipPeerHarness.Unique("strict-");
        var form = SipPeerHarness.Form(name);
        form.Callerid = $"\"{new string('n', 100)}\" <1>";

        var error = await Assert.ThrowsAsync<WriteRefusedException>(() => lying.Commands.CreateAsync(Operator, form, CancellationToken.None));
        Assert.Contains("callerid", error.Message);
        var csv = "name,context,callerid\r\n" + $"{name},company-a,\"\"\"{new string('n', 100)}\"\" <1>\"\r\n";
        Assert.Empty((await lying.Import.DryRunAsync(Operator, csv, null, CancellationToken.None)).Errors);
        await Assert.ThrowsAsync<WriteRefusedException>(() => lying.Import.ApplyAsync(Operator, csv, null, CancellationToken.None));
        Assert.Equal(0L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM sip WHERE name = '{name}'"));
    }
}
