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
        // One digit more than voicemail.password holds (varchar(80), what app_voicemail keeps).
        form.Password = new string('1', 81);

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
        var listed = await Boxes.PageAsync(a.Admin, new VoicemailFilter(), VoicemailSort.Mailbox, false, KeysetRequest.First(100), none);
        Assert.All(listed, r => Assert.Contains(r.Row.Context, a.Contexts));
        // Naming the other tenant or its context as a filter narrows within the caller's own boxes: nothing.
        Assert.Empty(await Boxes.PageAsync(a.Admin, new VoicemailFilter(TenantKey: b.Key), VoicemailSort.Mailbox, false, KeysetRequest.First(100), none));
        Assert.Empty(await Boxes.PageAsync(a.Admin, new VoicemailFilter(Context: b.Context), VoicemailSort.Context, false, KeysetRequest.First(100), none));
        Assert.Equal(new CappedCount(0, true), await Boxes.CountAsync(a.Admin, new VoicemailFilter(Search: "Reception 3001"), none));
        Assert.DoesNotContain(await Boxes.ContextsAsync(a.Admin, none), c => c.TenantKey == b.Key);
    }

    /// <summary>Every page by keyset, forward then backward, is exactly the database's own ORDER BY of the whole set.</summary>
    [Theory]
    [InlineData(VoicemailSort.Mailbox, false, "mailbox, context")]
    [InlineData(VoicemailSort.Context, true, "context DESC, mailbox DESC")]
    [InlineData(VoicemailSort.Fullname, false, "fullname")]
    [InlineData(VoicemailSort.Email, true, "email DESC")]
    public async Task Keyset_pages_in_each_sort_are_the_sorted_set_without_gaps_or_repeats(VoicemailSort sort, bool descending, string orderBy)
    {
        var tenant = await TestTenants.CreateAsync(services);
        // 21 boxes: each number in both contexts, names and emails repeated, so ties are broken by the id.
        var rows = Enumerable.Range(0, 21).Select(i => $"('{tenant.Key}', '{tenant.Contexts[i % 2]}', '{4000 + i / 2}', '1234', 'Desk {(char)('A' + i % 4)}', 'desk{i % 5}@{tenant.Key}.test')");
        await TestTenants.OnMasterAsync($"INSERT INTO voicemail (customer_id, context, mailbox, password, fullname, email) VALUES {string.Join(",", rows)}");
        var idOrder = descending ? "uniqueid DESC" : "uniqueid";
        var expected = (await TestCluster.RootSqlAsync("master", $"SELECT uniqueid FROM asteriskdb.voicemail WHERE customer_id = '{tenant.Key}' ORDER BY {orderBy}, {idOrder}"))
            .Split('\n').Select(int.Parse).ToList();
        var filter = new VoicemailFilter(TenantKey: tenant.Key);

        var ids = await KeysetWalk.IdsAsync(request => Boxes.PageAsync(TestTenants.Operator, filter, sort, descending, request, CancellationToken.None), r => r.Uniqueid, 4);
        Assert.Equal(expected, ids);
        var last = await Boxes.PageAsync(TestTenants.Operator, filter, sort, descending, new KeysetRequest(null, true, 3), CancellationToken.None);
        Assert.Equal(expected.TakeLast(3), last.Select(r => r.Row.Uniqueid));
        // The tenant admin's own list is the same set.
        Assert.Equal(new CappedCount(21, true), await Boxes.CountAsync(tenant.Admin, new VoicemailFilter(), CancellationToken.None));
    }

    [Fact]
    public async Task Search_is_a_prefix_of_mailbox_name_or_email_unless_contains_and_counts_are_exact_below_the_cap()
    {
        var tenant = await TestTenants.CreateAsync(services);
        foreach (var (mailbox, name, context) in new[] { ("5001", "Alice Smith", tenant.Context), ("5002", "Bob Smithers", tenant.Context), ("6001", "Carol 50%", tenant.Contexts[1]) })
        {
            var form = Box(tenant, mailbox);
            (form.Fullname, form.Context) = (name, context);
            await Boxes.AddAsync(tenant.Admin, form, CancellationToken.None);
        }
        async Task<long> Count(VoicemailFilter filter) => (await Boxes.CountAsync(tenant.Admin, filter, CancellationToken.None)).Count;

        Assert.Equal(1, await Count(new VoicemailFilter("alice")));
        Assert.Equal(2, await Count(new VoicemailFilter("50")));
        Assert.Equal(1, await Count(new VoicemailFilter("reception6001@")));
        Assert.Equal(0, await Count(new VoicemailFilter("Smith")));
        Assert.Equal(2, await Count(new VoicemailFilter("Smith", Contains: true)));
        // LIKE's wildcards in a search are taken literally.
        Assert.Equal(1, await Count(new VoicemailFilter("50%", Contains: true)));
        Assert.Equal(0, await Count(new VoicemailFilter("5_01")));
        Assert.Equal(1, await Count(new VoicemailFilter(Context: tenant.Contexts[1])));
        Assert.Equal(3, await Count(new VoicemailFilter(TenantKey: tenant.Key)));
        var operatorTotal = await Boxes.CountAsync(TestTenants.Operator, new VoicemailFilter(TenantKey: tenant.Key, Search: "5"), CancellationToken.None);
        Assert.Equal(new CappedCount(2, true), operatorTotal);
    }
}
