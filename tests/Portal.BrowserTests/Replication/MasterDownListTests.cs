using System.Text.RegularExpressions;
using Portal.IntegrationTests;
using Portal.IntegrationTests.Replication;

namespace Portal.BrowserTests.Replication;

/// <summary>Issue 6, point 5: with the master stopped, every list keeps showing its rows, read from a replica, and says which.</summary>
[Collection(PortalCollection.Name)]
public sealed partial class MasterDownListTests(PortalServer portal)
{
    [Fact]
    public async Task While_the_master_is_stopped_each_list_is_read_from_a_replica_and_names_it()
    {
        // A PIN the master had just before the outage: the list can only show it by reading a replica that applied it.
        var stored = $"1111-{Random.Shared.Next(10_000_000, 99_999_999)}";
        var connection = TestCluster.Database().AsteriskConnectionString;
        await TestCluster.ScalarAsync(connection, $"INSERT INTO pins (company, pin, active) VALUES ('company-a', '{stored}', 'yes')");
        var id = Convert.ToInt32(await TestCluster.ScalarAsync(connection, $"SELECT id FROM pins WHERE pin = '{stored}'"));
        var position = await TestCluster.RootSqlAsync("master", "SELECT @@gtid_binlog_pos");
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.True(await TestCluster.WaitForGtidAsync(replica, position), $"{replica} did not apply {position}");
        }
        var page = await portal.SignInAsync("operator@example.test");
        try
        {
            await TestCluster.ClusterAsync("stop", "master");
            await Assertions.Expect(page.GetByTestId("master-down")).ToBeVisibleAsync();

            foreach (var (url, list, shows) in new[]
                     {
                         ("/pins", "pins", "1111-••••"),
                         ("/voicemail", "mailboxes", "company-a"),
                         ("/sip-peers", "peers", "company-a"),
                         ("/audit", "audit-count", " of "),
                         ("/tenants", "users", "admin@company-a.test"),
                     })
            {
                await page.GotoAsync(url);
                await PortalServer.WaitForCircuitAsync(page);
                var notice = page.GetByTestId("read-source");
                await Assertions.Expect(notice).ToHaveAttributeAsync("data-replica", ReplicaName());
                await Assertions.Expect(notice).ToContainTextAsync("lags");
                await Assertions.Expect(page.GetByTestId(list)).ToContainTextAsync(shows);
            }

            await page.GotoAsync("/pins");
            await PortalServer.WaitForCircuitAsync(page);
            await page.GetByTestId("pins-search").FillAsync(stored);
            await Assertions.Expect(page.GetByTestId($"pin-code-{id}")).ToHaveTextAsync("1111-••••");
            await Assertions.Expect(page.GetByTestId("pins-count")).ToHaveTextAsync("1–1 of 1");
        }
        finally
        {
            await FaultInjection.RestoreClusterAsync();
            await TestCluster.ScalarAsync(connection, $"DELETE FROM pins WHERE id = {id}");
        }
        await Assertions.Expect(page.GetByTestId("read-source")).ToHaveCountAsync(0);
    }

    [GeneratedRegex("^replica[12]$")]
    private static partial Regex ReplicaName();
}
