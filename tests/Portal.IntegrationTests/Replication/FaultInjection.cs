namespace Portal.IntegrationTests.Replication;

/// <summary>Puts the test cluster back as the other tests expect it: every node up, both replicas replicating and caught up.</summary>
public static class FaultInjection
{
    public static async Task RestoreClusterAsync()
    {
        foreach (var node in new[] { "master", "replica1", "replica2" })
        {
            await TestCluster.ClusterAsync("start", node);
        }
        foreach (var replica in TestCluster.Replicas)
        {
            // Harmless when already running (a note, not an error).
            await TestCluster.RootSqlAsync(replica, "START SLAVE");
        }
        var position = await TestCluster.RootSqlAsync("master", "SELECT @@gtid_binlog_pos");
        foreach (var replica in TestCluster.Replicas)
        {
            var caughtUp = await TestCluster.RootSqlAsync(replica, $"SELECT MASTER_GTID_WAIT('{position}', 30)");
            if (caughtUp != "0")
            {
                throw new InvalidOperationException($"{replica} did not catch up to {position} after a fault test: {await TestCluster.RootSqlAsync(replica, "SHOW SLAVE STATUS")}");
            }
        }
    }
}
