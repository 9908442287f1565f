using Portal.Web.Features.Replication;

namespace Portal.Tests.Replication;

public class ReplicaStatusTests
{
    private static ReplicaStatus Parse(string listing) => ReplicaStatus.Parse(RecordedStatus.Row(listing));

    [Fact]
    public void MariaDb_replicating_row_reads_both_threads_and_positions()
    {
        var status = Parse(RecordedStatus.MariaDbReplicating);

        Assert.True(status.IoYes);
        Assert.True(status.SqlYes);
        Assert.Equal(0, status.SecondsBehindMaster);
        Assert.Equal("Waiting for master to send event", status.IoState);
        Assert.Equal("Slave has read all relay log; waiting for more updates", status.SqlState);
        Assert.Equal(24306, status.MasterPort);
        Assert.Equal(1, status.MasterServerId);
        Assert.Equal("0-1-14", status.ReceivedGtid);
        Assert.Null(status.LastIoError);
        Assert.Null(status.LastSqlError);
        Assert.Equal(0, status.SqlDelay);
        Assert.Null(status.SqlRemainingDelay);
        Assert.True(status.AppliedAllReceived);
    }

    [Fact]
    public void MariaDb_with_the_master_down_is_reconnecting_and_seconds_behind_is_null_not_zero()
    {
        var status = Parse(RecordedStatus.MariaDbMasterDown);

        Assert.Equal("Connecting", status.IoRunning);
        Assert.False(status.IoYes);
        Assert.Null(status.SecondsBehindMaster);
        Assert.Equal(2003, status.LastIoError!.Number);
        Assert.Contains("Connection refused", status.LastIoError.Message);
        // MariaDB reports no time of its own for an error.
        Assert.Null(status.LastIoError.ServerTimestamp);
    }

    [Fact]
    public void MariaDb_sql_error_stops_the_sql_thread_with_the_error()
    {
        var status = Parse(RecordedStatus.MariaDbSqlError);

        Assert.True(status.IoYes);
        Assert.False(status.SqlYes);
        Assert.Null(status.SecondsBehindMaster);
        Assert.Equal(1062, status.LastSqlError!.Number);
        Assert.Contains("Duplicate entry", status.LastSqlError.Message);
        Assert.False(status.AppliedAllReceived);
        Assert.Null(status.SqlState);
    }

    [Fact]
    public void MySql80_replica_status_is_read_by_its_source_and_replica_names()
    {
        var status = Parse(RecordedStatus.MySql80Replicating);

        Assert.True(status.IoYes);
        Assert.True(status.SqlYes);
        Assert.Equal(0, status.SecondsBehindMaster);
        Assert.Equal("Waiting for source to send event", status.IoState);
        Assert.Equal("10.20.0.11", status.MasterHost);
        Assert.Equal(3306, status.MasterPort);
        Assert.Equal(918273, status.ReadMasterLogPos);
        Assert.Equal("binlog.000004", status.RelayMasterLogFile);
        Assert.True(status.AppliedAllReceived);
        Assert.Equal("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5210", status.ReceivedGtid);
        Assert.Contains("5b2a1c3d-8e9f-11ee-a1b2-0242ac120003:1-12", status.ExecutedGtid);
    }

    [Fact]
    public void MySql80_errors_carry_the_servers_timestamp()
    {
        var io = Parse(RecordedStatus.MySql80MasterDown);
        var sql = Parse(RecordedStatus.MySql80SqlError);

        Assert.Equal("Connecting", io.IoRunning);
        Assert.Null(io.SecondsBehindMaster);
        Assert.Equal(new ReplicationError(2003, "error reconnecting to master 'repl@10.20.0.11:3306' - retry-time: 60 retries: 2 message: Can't connect to MySQL server on '10.20.0.11:3306' (111)", "250114 09:12:45"), io.LastIoError);
        Assert.False(sql.SqlYes);
        Assert.Equal(1062, sql.LastSqlError!.Number);
        Assert.Equal("250114 09:20:03", sql.LastSqlError.ServerTimestamp);
    }

    [Fact]
    public void Older_MySql_slave_status_uses_the_master_spelling_and_shows_a_backlog()
    {
        var status = Parse(RecordedStatus.MySql57Lagging);

        Assert.True(status.IoYes && status.SqlYes);
        Assert.Equal(7, status.SecondsBehindMaster);
        Assert.False(status.AppliedAllReceived);
        Assert.Equal(6, GtidPosition.Behind(status.ReceivedGtid, status.ExecutedGtid));
    }

    [Fact]
    public void Missing_columns_read_as_unknown_not_as_zero()
    {
        var status = ReplicaStatus.Parse(new Dictionary<string, string?> { ["Slave_IO_Running"] = "Yes" });

        Assert.Equal("No", status.SqlRunning);
        Assert.Null(status.SecondsBehindMaster);
        Assert.False(status.AppliedAllReceived);
    }
}
