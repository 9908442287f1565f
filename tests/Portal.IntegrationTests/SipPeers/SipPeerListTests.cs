using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Features.SipPeers;

namespace Portal.IntegrationTests.SipPeers;

[Collection(ClusterCollection.Name)]
public sealed class SipPeerListTests
{
    private readonly SipPeerHarness peers = new();

    /// <summary>
    /// 37 peers under one prefix, in a context of their own that belongs to a tenant of their own: some without caller
    /// ID (NULL sorts first), duplicate caller IDs (the id breaks ties), three registered.
    /// </summary>
    private async Task<(string Prefix, string Context, string Tenant)> SeedAsync()
    {
        var prefix = SipPeerHarness.Unique("ls") + "-";
        var tenant = SipPeerHarness.Unique("t");
        var context = "ctx-" + tenant;
        await TestCluster.RootSqlAsync("master",
            $"INSERT INTO portal.tenants (tenant_key, name) VALUES ('{tenant}', 'List test'); " +
            $"INSERT INTO portal.tenant_contexts (tenant_id, context) VALUES (LAST_INSERT_ID(), '{context}')");
        var csv = "name,context,callerid,accountcode\r\n" + string.Concat(Enumerable.Range(0, 37).Select(i =>
            $"{prefix}{i:D2},{context},{(i % 5 == 0 ? "" : $"\"\"\"{(char)('A' + i % 7)} desk\"\" <{i % 4}>\"")},acc{i % 3}\r\n"));
        var outcome = await peers.Import.ApplyAsync(SipPeerHarness.Operator, csv, null, CancellationToken.None);
        Assert.NotNull(outcome.Result);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await SipPeerHarness.RegisterAsync(prefix + "03", "192.0.2.3", (int)now + 600);
        await SipPeerHarness.RegisterAsync(prefix + "04", "192.0.2.4", (int)now - 600);
        await SipPeerHarness.RegisterAsync(prefix + "05", "198.51.100.5", (int)now + 60);
        return (prefix, context, tenant);
    }

    /// <summary>Every page by keyset, forward then backward, must be exactly the database's own ORDER BY of the whole set.</summary>
    [Theory]
    [InlineData(SipPeerSort.Name, false)]
    [InlineData(SipPeerSort.Callerid, false)]
    [InlineData(SipPeerSort.Callerid, true)]
    [InlineData(SipPeerSort.Registration, true)]
    public async Task Keyset_pages_forward_and_back_are_the_sorted_set_without_gaps_or_repeats(SipPeerSort sort, bool descending)
    {
        var (prefix, _, _) = await SeedAsync();
        var filter = new SipPeerFilter(Search: prefix);
        List<int> expected;
        await using (var db = await peers.Asterisk.CreateDbContextAsync())
        {
            var all = db.SipPeers.Where(p => p.Name.StartsWith(prefix));
            expected = await (sort switch
            {
                SipPeerSort.Name => descending ? all.OrderByDescending(p => p.Name).ThenByDescending(p => p.Id) : all.OrderBy(p => p.Name).ThenBy(p => p.Id),
                SipPeerSort.Callerid => descending ? all.OrderByDescending(p => p.Callerid).ThenByDescending(p => p.Id) : all.OrderBy(p => p.Callerid).ThenBy(p => p.Id),
                _ => descending ? all.OrderByDescending(p => p.Regseconds).ThenByDescending(p => p.Id) : all.OrderBy(p => p.Regseconds).ThenBy(p => p.Id),
            }).Select(p => p.Id).ToListAsync();
        }
        Assert.Equal(37, expected.Count);

        // Every page by keyset, forward then backward.
        var ids = await KeysetWalk.IdsAsync(request => peers.List.PageAsync(SipPeerHarness.Operator, filter, sort, descending, request, CancellationToken.None), r => r.Id, 8);
        Assert.Equal(expected, ids);
        var last = await peers.List.PageAsync(SipPeerHarness.Operator, filter, sort, descending, new KeysetRequest(null, true, 5), CancellationToken.None);
        Assert.Equal(expected.TakeLast(5), last.Select(r => r.Row.Id));
    }

    /// <summary>
    /// A page persisted from prerendering comes back with its cursors as JSON; the next page from such a cursor is the
    /// same as from the original. And a link's start by name lists from that name on.
    /// </summary>
    [Fact]
    public async Task A_cursor_back_from_json_and_a_start_by_name_seek_like_the_original()
    {
        var (prefix, _, _) = await SeedAsync();
        var filter = new SipPeerFilter(Search: prefix);
        Task<IReadOnlyList<KeysetRow<SipPeerRow>>> Page(KeysetCursor? seek) =>
            peers.List.PageAsync(SipPeerHarness.Operator, filter, SipPeerSort.Callerid, false, new KeysetRequest(seek, false, 8), CancellationToken.None);
        var first = await Page(null);
        var json = System.Text.Json.JsonSerializer.Deserialize<KeysetCursor>(System.Text.Json.JsonSerializer.Serialize(first[^1].Cursor))!;

        Assert.Equal((await Page(first[^1].Cursor)).Select(r => r.Row.Id), (await Page(json)).Select(r => r.Row.Id));

        var fromName = await peers.List.PageAsync(SipPeerHarness.Operator, filter, SipPeerSort.Name, false,
            new KeysetRequest(SipPeerList.FromName(prefix + "30"), false, 3), CancellationToken.None);
        Assert.Equal([prefix + "30", prefix + "31", prefix + "32"], fromName.Select(r => r.Row.Name));
    }

    [Fact]
    public async Task Search_filters_and_counts()
    {
        var (prefix, context, tenant) = await SeedAsync();
        async Task<long> Count(SipPeerFilter filter) => (await peers.List.CountAsync(SipPeerHarness.Operator, filter, CancellationToken.None)).Count;

        Assert.Equal(37, await Count(new SipPeerFilter(Search: prefix)));
        Assert.True((await peers.List.CountAsync(SipPeerHarness.Operator, new SipPeerFilter(Search: prefix), CancellationToken.None)).Exact);
        // The caller ID's name matches by prefix after its quote; "contains" reaches into the middle of a value.
        var rows = await peers.List.PageAsync(SipPeerHarness.Operator, new SipPeerFilter(Search: "B desk"), SipPeerSort.Name, false, KeysetRequest.First(1000), CancellationToken.None);
        Assert.Contains(rows, r => r.Row.Name.StartsWith(prefix));
        Assert.Equal(0, await Count(new SipPeerFilter(Search: prefix[3..])));
        Assert.Equal(37, await Count(new SipPeerFilter(Search: prefix[3..], Contains: true)));
        // Registration columns are searchable too, and LIKE's wildcards in a search are taken literally.
        var byAddress = (await peers.List.PageAsync(SipPeerHarness.Operator, new SipPeerFilter(Search: "198.51.100.5"), SipPeerSort.Name, false, KeysetRequest.First(1000), CancellationToken.None))
            .Select(r => r.Row).ToList();
        Assert.Contains(byAddress, r => r.Name == prefix + "05");
        Assert.All(byAddress, r => Assert.Equal("198.51.100.5", r.Ipaddr));
        Assert.Equal(0, await Count(new SipPeerFilter(Search: prefix.Replace('-', '_'))));
        Assert.Equal(0, await Count(new SipPeerFilter(Search: "%" + prefix[3..])));

        var mine = new SipPeerFilter(Search: prefix);
        Assert.Equal(2, await Count(mine with { Registration = RegistrationState.Registered }));
        Assert.Equal(1, await Count(mine with { Registration = RegistrationState.Expired }));
        Assert.Equal(34, await Count(mine with { Registration = RegistrationState.Never }));
        Assert.Equal(37, await Count(mine with { Context = context }));
        Assert.Equal(0, await Count(mine with { Context = "company-a" }));
        Assert.Equal(37, await Count(new SipPeerFilter(TenantKey: tenant)));
        Assert.Equal(2, await Count(new SipPeerFilter(TenantKey: tenant, Registration: RegistrationState.Registered)));
        Assert.Equal(0, await Count(mine with { TenantKey = "no-such" }));
    }

    [Fact]
    public async Task The_count_stops_at_the_cap_instead_of_scanning_everything()
    {
        var total = await peers.List.CountAsync(SipPeerHarness.Operator, new SipPeerFilter(), CancellationToken.None);
        long real;
        await using (var db = await peers.Asterisk.CreateDbContextAsync())
        {
            real = await db.SipPeers.LongCountAsync();
        }
        Assert.Equal(real <= Keyset.CountCap, total.Exact);
        Assert.Equal(real <= Keyset.CountCap ? real : total.Count, total.Count);
    }

    [Fact]
    public async Task A_fresh_install_has_the_lists_indexes_on_the_master_and_on_both_replicas()
    {
        var lists = new Dictionary<string, string[]>
        {
            ["sip"] = ["callerid", "context", "accountcode", "ipaddr", "useragent", "regseconds"],
            ["pins"] = ["company_pin", "pin", "active_pin", "company_active_pin"],
            ["voicemail"] = ["mailbox_context", "context_mailbox", "fullname", "email"],
        };
        foreach (var node in new[] { "master", "replica1", "replica2" })
        {
            foreach (var (table, expected) in lists)
            {
                var indexes = (await TestCluster.RootSqlAsync(node,
                    $"SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'asteriskdb' AND TABLE_NAME = '{table}'")).Split('\n');
                Assert.Superset(expected.ToHashSet(), indexes.ToHashSet());
            }
        }
    }
}
