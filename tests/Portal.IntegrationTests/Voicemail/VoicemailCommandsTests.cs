using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Data;
using Portal.Web.Features.Voicemail;

namespace Portal.IntegrationTests.Voicemail;

[Collection(ClusterCollection.Name)]
public sealed class VoicemailCommandsTests : IDisposable
{
    private readonly ServiceProvider services = TestTenants.Services();

    private VoicemailCommands Boxes => services.GetRequiredService<VoicemailCommands>();

    public void Dispose() => services.Dispose();

    private static VoicemailForm Box(TestTenant tenant, string mailbox) => new()
    {
        Context = tenant.Context,
        Mailbox = mailbox,
        Password = "4321",
        Fullname = "Reception " + mailbox,
        Email = $"reception{mailbox}@{tenant.Key}.test",
        Tz = "european",
    };

    private static Task<object?> UniqueidAsync(TestTenant tenant, string mailbox) =>
        TestTenants.OnMasterAsync($"SELECT uniqueid FROM voicemail WHERE context = '{tenant.Context}' AND mailbox = '{mailbox}'");

    [Fact]
    public async Task Added_box_reaches_both_replicas_with_the_tenant_as_customer_and_the_classic_defaults()
    {
        var tenant = await TestTenants.CreateAsync(services);

        var result = await Boxes.AddAsync(tenant.Admin, Box(tenant, "2001"), CancellationToken.None);

        Assert.Equal(
            Enumerable.Repeat<object?>($"{tenant.Key}|4321|european|yes|yes|no|no|yes|yes", 2),
            await TestTenants.OnReplicasAsync(result,
                $"SELECT CONCAT_WS('|', customer_id, password, tz, attach, saycid, review, `delete`, nextaftercmd, hidefromdir) FROM asteriskdb.voicemail WHERE context = '{tenant.Context}' AND mailbox = '2001'"));
        var audit = (string?)await TestTenants.OnMasterAsync($"SELECT new_values FROM portal.audit_log WHERE action = 'add mailbox' AND new_values LIKE '%{tenant.Key}%'");
        Assert.DoesNotContain("4321", audit);
    }

    [Fact]
    public async Task An_edit_keeps_the_uniqueid_and_a_password_the_user_changed_from_the_phone_and_a_delete_reaches_both_replicas()
    {
        var tenant = await TestTenants.CreateAsync(services);
        await Boxes.AddAsync(tenant.Admin, Box(tenant, "2002"), CancellationToken.None);
        var uniqueid = Convert.ToInt32(await UniqueidAsync(tenant, "2002"));
        var form = (await Boxes.GetAsync(tenant.Admin, uniqueid, CancellationToken.None))!;
        // Meanwhile the user changes the password from the phone: app_voicemail updates it by uniqueid, as the asterisk user.
        await TestCluster.ScalarAsync(TestTenants.AsteriskConnectionString, $"UPDATE voicemail SET password = '9876' WHERE uniqueid = {uniqueid}");

        form.Fullname = "Front desk";
        form.Attach = false;
        var result = await Boxes.EditAsync(tenant.Admin, uniqueid, form, CancellationToken.None);

        Assert.Equal(["9876|Front desk|no", "9876|Front desk|no"],
            await TestTenants.OnReplicasAsync(result, $"SELECT CONCAT_WS('|', password, fullname, attach) FROM asteriskdb.voicemail WHERE uniqueid = {uniqueid}"));
        Assert.Equal(uniqueid, Convert.ToInt32(await UniqueidAsync(tenant, "2002")));

        var deleted = await Boxes.DeleteAsync(tenant.Admin, uniqueid, CancellationToken.None);
        Assert.Equal([0L, 0L], await TestTenants.OnReplicasAsync(deleted, $"SELECT COUNT(*) FROM asteriskdb.voicemail WHERE uniqueid = {uniqueid}"));
    }

    [Fact]
    public async Task A_mailbox_number_is_unique_within_its_context_only()
    {
        var tenant = await TestTenants.CreateAsync(services);
        await Boxes.AddAsync(tenant.Admin, Box(tenant, "2003"), CancellationToken.None);

        await Assert.ThrowsAsync<WriteRefusedException>(() => Boxes.AddAsync(tenant.Admin, Box(tenant, "2003"), CancellationToken.None));
        var other = Box(tenant, "2003");
        other.Context = tenant.Contexts[1];
        await Boxes.AddAsync(tenant.Admin, other, CancellationToken.None);

        Assert.Equal(2L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM voicemail WHERE mailbox = '2003' AND customer_id = '{tenant.Key}'"));
    }

    [Fact]
    public async Task An_over_long_password_is_refused_before_the_database_sees_it()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var form = Box(tenant, "2004");
        form.Password = "123456";

        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => Boxes.AddAsync(tenant.Admin, form, CancellationToken.None));
        Assert.Null(await UniqueidAsync(tenant, "2004"));
    }

    [Fact]
    public async Task A_tenant_admin_reaches_no_box_of_another_tenant_and_every_attempt_is_audited()
    {
        var a = await TestTenants.CreateAsync(services);
        var b = await TestTenants.CreateAsync(services);
        await Boxes.AddAsync(b.Admin, Box(b, "3001"), CancellationToken.None);
        await Boxes.AddAsync(a.Admin, Box(a, "3002"), CancellationToken.None);
        var theirs = Convert.ToInt32(await UniqueidAsync(b, "3001"));
        var mine = Convert.ToInt32(await UniqueidAsync(a, "3002"));
        var before = await TestTenants.DenialsAsync(a.Admin);
        var moved = Box(a, "3002");
        moved.Context = b.Context;
        var none = CancellationToken.None;

        Func<Task>[] attempts =
        [
            () => Boxes.GetAsync(a.Admin, theirs, none),
            () => Boxes.EditAsync(a.Admin, theirs, Box(a, "3001"), none),
            () => Boxes.DeleteAsync(a.Admin, theirs, none),
            () => Boxes.AddAsync(a.Admin, Box(b, "3003"), none),
            () => Boxes.EditAsync(a.Admin, mine, moved, none),
        ];
        foreach (var attempt in attempts)
        {
            await Assert.ThrowsAsync<AccessDeniedException>(attempt);
        }

        Assert.Equal(before + attempts.Length, await TestTenants.DenialsAsync(a.Admin));
        Assert.Equal($"{b.Context}|3001|Reception 3001", await TestTenants.OnMasterAsync($"SELECT CONCAT_WS('|', context, mailbox, fullname) FROM voicemail WHERE uniqueid = {theirs}"));
        Assert.Equal(a.Context, await TestTenants.OnMasterAsync($"SELECT context FROM voicemail WHERE uniqueid = {mine}"));
        Assert.Equal(0L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM voicemail WHERE mailbox = '3003'"));
        var listed = await Boxes.ListAsync(a.Admin, new VoicemailQuery(null, "Mailbox", false, 0, 100), none);
        Assert.All(listed.Rows, r => Assert.Contains(r.Context, a.Contexts));
        Assert.DoesNotContain(await Boxes.ContextsAsync(a.Admin, none), c => c.TenantKey == b.Key);
    }
}
