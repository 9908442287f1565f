using MySqlConnector;

namespace Portal.IntegrationTests.Replication;

[Collection(ClusterCollection.Name)]
public sealed class HeartbeatWriterTests
{
    [Fact]
    public async Task A_stop_that_cancels_a_write_in_flight_still_removes_the_heartbeat_row()
    {
        // A long query timeout, so the write blocked below stays in flight until the stop cancels it.
        await using var rig = await ReplicationRig.StartAsync(o => o.QueryTimeout = TimeSpan.FromSeconds(60));
        var instance = rig.Heartbeat.InstanceId;
        var writesOfThisInstance = $"SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE portal_heartbeat%' AND INFO LIKE '%{instance}%'";

        // Another session holds the heartbeat row's lock, so the writer's next UPDATE waits for it.
        await using var holder = new MySqlConnection(rig.Database.AsteriskConnectionString);
        await holder.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var lockRow = new MySqlCommand("SELECT seq FROM portal_heartbeat WHERE instance_id = @id FOR UPDATE", holder, transaction))
        {
            lockRow.Parameters.AddWithValue("@id", instance);
            Assert.NotNull(await lockRow.ExecuteScalarAsync());
        }
        await Eventually.GetAsync(() => WritesAsync(writesOfThisInstance), n => n == 1, "a heartbeat write waiting for the row lock");

        var stopping = rig.Heartbeat.StopAsync(CancellationToken.None);
        // The stop cancels the write (the driver kills its query); only then is the lock let go.
        await Eventually.GetAsync(() => WritesAsync(writesOfThisInstance), n => n == 0, "the cancelled heartbeat write ending");
        await transaction.RollbackAsync();
        await stopping;

        Assert.Equal("0", await TestCluster.RootSqlAsync("master", $"SELECT COUNT(*) FROM asteriskdb.portal_heartbeat WHERE instance_id = '{instance}'"));
    }

    private static async Task<long> WritesAsync(string sql) =>
        Convert.ToInt64(await TestCluster.ScalarAsync(TestCluster.RootConnectionString("master"), sql));
}
