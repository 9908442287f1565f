using Microsoft.EntityFrameworkCore;
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

        var pages = new List<IReadOnlyList<SipPeerRow>>();
        SipPeerCursor? seek = null;
        while (true)
        {
            var page = await peers.List.PageAsync(SipPeerHarness.Operator, filter, sort, descending, seek, false, 8, 0, CancellationToken.None);
            if (page.Count == 0)
            {
                break;
            }
            pages.Add(page);
            seek = new SipPeerCursor(SipPeerList.KeyOf(page[^1], sort), page[^1].Id);
        }
        Assert.Equal(expected, pages.SelectMany(p => p).Select(r => r.Id));

        // Back from the last page: each page read before the first row of the one after it.
        for (var i = pages.Count - 2; i >= 0; i--)
        {
            var next = pages[i + 1][0];
            var back = await peers.List.PageAsync(SipPeerHarness.Operator, filter, sort, descending, new SipPeerCursor(SipPeerList.KeyOf(next, sort), next.Id), true, 8, 0, CancellationToken.None);
            Assert.Equal(pages[i].Select(r => r.Id), back.Select(r => r.Id));
        }
        var last = await peers.List.PageAsync(SipPeerHarness.Operator, filter, sort, descending, null, true, 5, 0, CancellationToken.None);
        Assert.Equal(expected.TakeLast(5), last.Select(r => r.Id));
    }

    [Fact]
    public async Task Search_filters_and_counts()
    {
        var (prefix, context, tenant) = await SeedAsync();
        async Task<long> Count(SipPeerFilter filter) => (await peers.List.CountAsync(SipPeerHarness.Operator, filter, CancellationToken.None)).Count;

        Assert.Equal(37, await Count(new SipPeerFilter(Search: prefix)));
        Assert.True((await peers.List.CountAsync(SipPeerHarness.Operator, new SipPeerFilter(Search: prefix), CancellationToken.None)).Exact);
        // The caller ID's name matches by prefix after its quote; "contains" reaches into the middle of a value.
        var rows = await peers.List.PageAsync(SipPeerHarness.Operator, new SipPeerFilter(Search: "B desk"), SipPeerSort.Name, false, null, false, 1000, 0, CancellationToken.None);
        Assert.Contains(rows, r => r.Name.StartsWith(prefix));
        Assert.Equal(0, await Count(new SipPeerFilter(Search: prefix[3..])));
        Assert.Equal(37, await Count(new SipPeerFilter(Search: prefix[3..], Contains: true)));
        // Registration columns are searchable too, and LIKE's wildcards in a search are taken literally.
        var byAddress = await peers.List.PageAsync(SipPeerHarness.Operator, new SipPeerFilter(Search: "198.51.100.5"), SipPeerSort.Name, false, null, false, 1000, 0, CancellationToken.None);
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
        Assert.Equal(real <= SipPeerList.CountCap, total.Exact);
        Assert.Equal(real <= SipPeerList.CountCap ? real : total.Count, total.Count);
    }

    [Fact]
    public async Task A_fresh_install_has_the_lists_indexes_on_the_master_and_on_both_replicas()
    {
        foreach (var node in new[] { "master", "replica1", "replica2" })
        {
            var indexes = (await TestCluster.RootSqlAsync(node,
                "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'asteriskdb' AND TABLE_NAME = 'sip'")).Split('\n');
            Assert.Superset(new HashSet<string> { "callerid", "context", "accountcode", "ipaddr", "useragent", "regseconds" }, indexes.ToHashSet());
        }
    }
}
