using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.SipPeers;

namespace Portal.IntegrationTests.Data;

[Collection(ClusterCollection.Name)]
public sealed class WritePathTests
{
    private static readonly Caller Operator = new("test-operator", IsOperator: true, TenantKey: null);

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..16];

    [Fact]
    public async Task Write_reaches_both_replicas_with_its_audit_row_in_the_same_commit()
    {
        var name = Unique("wp-");
        var result = await TestCluster.Writer().WriteAsync(Operator, "create peer", (scope, _) =>
        {
            scope.Db.SipPeers.Add(new SipPeer { Name = name, Host = "dynamic", Secret = "s3cret-value", Context = "company-a" });
            return Task.CompletedTask;
        }, CancellationToken.None);

        Assert.NotNull(result.Gtid);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.True(await TestCluster.WaitForGtidAsync(replica, result.Gtid!), $"{replica} did not apply {result.Gtid}");
            // Both rows are visible as soon as the GTID is: they were one transaction.
            Assert.Equal(1L, await TestCluster.ScalarAsync(TestCluster.ReplicaConnectionString(replica), $"SELECT COUNT(*) FROM asteriskdb.sip WHERE name = '{name}'"));
            var audit = (string?)await TestCluster.ScalarAsync(TestCluster.ReplicaConnectionString(replica),
                $"SELECT new_values FROM portal.audit_log WHERE table_name = 'sip' AND new_values LIKE '%{name}%'");
            Assert.NotNull(audit);
            Assert.DoesNotContain("s3cret-value", audit);
            Assert.Contains(AuditChange.Masked, audit);
        }
    }

    [Fact]
    public async Task Failed_write_leaves_neither_the_change_nor_its_audit_row()
    {
        var name = Unique("fail-");
        var error = await Assert.ThrowsAsync<WriteRefusedException>(() => TestCluster.Writer().WriteAsync(Operator, "create two", (scope, _) =>
        {
            scope.Db.SipPeers.Add(new SipPeer { Name = name, Host = "dynamic" });
            scope.Db.Extensions.Add(new Extension { Context = "ctx-" + name[..8], Exten = "1", Priority = 1, App = new string('A', 21) });
            return Task.CompletedTask;
        }, CancellationToken.None));

        Assert.Contains("app", error.Message);
        Assert.Equal(0L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM sip WHERE name = '{name}'"));
        Assert.Equal(0L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM portal.audit_log WHERE new_values LIKE '%{name}%'"));
    }

    [Fact]
    public async Task Failing_statement_mid_batch_rolls_back_the_batch_and_the_audit_entry_and_leaves_no_open_transaction()
    {
        await AssertRolledBackAndConnectionCleanAsync(async (scope, company, ct) =>
        {
            scope.Audit(new AuditChange("pins", company, null, null));
            await using var insert = new MySqlCommand(
                "INSERT INTO pins (company, pin) VALUES (@company, '1'); INSERT INTO pins (company, pin) VALUES (@company, @long)", scope.Connection);
            insert.Parameters.AddWithValue("@company", company);
            insert.Parameters.AddWithValue("@long", new string('9', 21));
            await insert.ExecuteNonQueryAsync(ct);
        });
    }

    [Fact]
    public async Task Failing_audit_entry_in_the_commit_batch_rolls_back_the_change_and_leaves_no_open_transaction()
    {
        await AssertRolledBackAndConnectionCleanAsync(async (scope, company, ct) =>
        {
            await using var insert = new MySqlCommand("INSERT INTO pins (company, pin) VALUES (@company, '1')", scope.Connection);
            insert.Parameters.AddWithValue("@company", company);
            await insert.ExecuteNonQueryAsync(ct);
            scope.Audit(new AuditChange("pins", company, null, null));
            // table_name is 40 wide: the second entry fails after the first, with the COMMIT in the same batch.
            scope.Audit(new AuditChange(new string('t', 41), company, null, null));
        });
    }

    /// <summary>
    /// The failed write leaves nothing, and the next write on the same pooled connection does not commit it: its
    /// START TRANSACTION would commit a transaction the failed write left open.
    /// </summary>
    private static async Task AssertRolledBackAndConnectionCleanAsync(Func<WriteScope, string, CancellationToken, Task> failing)
    {
        var company = Unique("rb-");
        var writer = TestCluster.Writer();
        long failedOn = 0;
        await Assert.ThrowsAsync<WriteRefusedException>(() => writer.WriteAsync(Operator, "add pin", async (scope, ct) =>
        {
            failedOn = await ConnectionIdAsync(scope, ct);
            await failing(scope, company, ct);
        }, CancellationToken.None));

        long nextOn = 0;
        await writer.WriteAsync(Operator, "probe", async (scope, ct) =>
        {
            nextOn = await ConnectionIdAsync(scope, ct);
            scope.Audit(new AuditChange("probe", company + "-next", null, null));
        }, CancellationToken.None);

        Assert.Equal(failedOn, nextOn);
        Assert.Equal(0L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM pins WHERE company = '{company}'"));
        Assert.Equal(0L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM portal.audit_log WHERE row_key = '{company}'"));
        Assert.Equal(1L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM portal.audit_log WHERE row_key = '{company}-next'"));
    }

    private static async Task<long> ConnectionIdAsync(WriteScope scope, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT CONNECTION_ID()", scope.Connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    [Fact]
    public async Task Over_long_value_is_refused_naming_the_column_never_truncated()
    {
        var name = Unique("long-");
        var error = await Assert.ThrowsAsync<WriteRefusedException>(() => TestCluster.Writer().WriteAsync(Operator, "create peer", (scope, _) =>
        {
            scope.Db.SipPeers.Add(new SipPeer { Name = name, Host = "dynamic", Callerid = new string('x', 81) });
            return Task.CompletedTask;
        }, CancellationToken.None));

        Assert.Contains("callerid", error.Message);
        Assert.Equal(0L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM sip WHERE name = '{name}'"));
    }

    [Fact]
    public async Task Writes_run_in_strict_sql_mode()
    {
        string? mode = null;
        await TestCluster.Writer().WriteAsync(Operator, "probe", async (scope, ct) =>
        {
            await using var command = new MySqlCommand("SELECT @@SESSION.sql_mode", scope.Connection);
            mode = (string?)await command.ExecuteScalarAsync(ct);
        }, CancellationToken.None);

        Assert.Contains("STRICT_ALL_TABLES", mode);
    }

    [Fact]
    public async Task Replica_connection_refuses_writes()
    {
        foreach (var replica in TestCluster.Replicas)
        {
            var error = await Assert.ThrowsAsync<MySqlException>(() =>
                TestCluster.ScalarAsync(TestCluster.ReplicaConnectionString(replica), "INSERT INTO asteriskdb.pins (company, pin) VALUES ('x', 'y')"));
            Assert.True(error.ErrorCode is MySqlErrorCode.OptionPreventsStatement or MySqlErrorCode.TableAccessDenied, error.Message);
        }
    }

    [Fact]
    public async Task Edit_never_writes_registration_columns_back()
    {
        var name = Unique("reg-");
        var writer = TestCluster.Writer();
        await writer.WriteAsync(Operator, "create peer", (scope, _) =>
        {
            scope.Db.SipPeers.Add(new SipPeer { Name = name, Host = "dynamic" });
            return Task.CompletedTask;
        }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(Operator, "edit peer", async (scope, ct) =>
        {
            var peer = await scope.Db.SipPeers.SingleAsync(p => p.Name == name, ct);
            peer.Ipaddr = "192.0.2.1";
            peer.Callerid = "\"Changed\" <1>";
        }, CancellationToken.None));

        Assert.Contains("ipaddr", error.Message);
        Assert.Equal("", await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT ipaddr FROM sip WHERE name = '{name}'"));
    }

    [Fact]
    public async Task Unsigned_caller_cannot_write()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => TestCluster.Writer().WriteAsync(new Caller("", false, null), "x", (_, _) => Task.CompletedTask, CancellationToken.None));
    }
}
