using Portal.Web.Features.Replication;

namespace Portal.Tests.Replication;

public class ServerDialectTests
{
    [Theory]
    [InlineData("10.11.19-MariaDB-0+deb12u1-log", "SHOW SLAVE STATUS", "SHOW SLAVE HOSTS", "MASTER_GTID_WAIT")]
    [InlineData("11.4.2-MariaDB", "SHOW SLAVE STATUS", "SHOW SLAVE HOSTS", "MASTER_GTID_WAIT")]
    [InlineData("8.0.36-0ubuntu0.22.04.1", "SHOW REPLICA STATUS", "SHOW REPLICAS", "WAIT_FOR_EXECUTED_GTID_SET")]
    [InlineData("8.0.22", "SHOW REPLICA STATUS", "SHOW REPLICAS", "WAIT_FOR_EXECUTED_GTID_SET")]
    [InlineData("8.0.21", "SHOW SLAVE STATUS", "SHOW SLAVE HOSTS", "WAIT_FOR_EXECUTED_GTID_SET")]
    [InlineData("5.7.44-log", "SHOW SLAVE STATUS", "SHOW SLAVE HOSTS", "WAIT_FOR_EXECUTED_GTID_SET")]
    public void Statements_follow_the_server(string version, string status, string hosts, string wait)
    {
        var dialect = ServerDialect.From(version);

        Assert.Equal(status, dialect.ReplicaStatusSql);
        Assert.Equal(hosts, dialect.ReplicaHostsSql);
        Assert.Contains(wait, dialect.GtidWaitSql);
    }

    [Fact]
    public void Gtid_variables_follow_the_server()
    {
        var mariaDb = ServerDialect.From("10.11.19-MariaDB");
        var mySql = ServerDialect.From("8.0.36");

        Assert.Equal(("@@gtid_binlog_pos", "@@gtid_slave_pos"), (mariaDb.MasterGtidVariable, mariaDb.AppliedGtidVariable));
        Assert.Equal(("@@gtid_executed", "@@gtid_executed"), (mySql.MasterGtidVariable, mySql.AppliedGtidVariable));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(0L, true)]
    [InlineData(-1, false)]
    [InlineData(1L, false)]
    [InlineData(null, false)]
    public void Only_zero_means_applied(object? result, bool applied)
    {
        Assert.Equal(applied, ServerDialect.GtidWaitApplied(result));
    }
}
