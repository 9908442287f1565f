using MySqlConnector;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;

namespace Portal.IntegrationTests.Dialplan;

/// <summary>
/// The context count the database keeps (asteriskdb.dialplan_contexts and its triggers): exact whoever writes,
/// replicated as rows, installed and repaired by the schema check, and the slow count where it is not installed.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ContextCountTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly DialplanServices dialplan = new();
    private readonly string master = TestCluster.Database().AsteriskConnectionString;

    [Fact]
    public async Task Inserts_deletes_and_moved_steps_keep_every_count_exact()
    {
        var prefix = DialplanServices.UniqueContext("k")[..12];
        var op = DialplanServices.Operator;
        await dialplan.Commands.CreateContextAsync(op, new NewContextForm { Context = prefix + "a" }, None);
        await ExecuteAsync(master, $"""
            INSERT INTO extensions (context, exten, priority, app) VALUES
              ('{prefix}b', 's', 1, 'Answer'), ('{prefix}b', 's', 2, 'Hangup'), ('{prefix}c', 's', 1, 'Answer'), ('{prefix}c', '100', 1, 'Dial')
            """);
        Assert.Equal(3, await dialplan.Queries.ContextCountAsync(op, prefix, None));
        Assert.Equal(await CountedAsync(master, prefix), await KeptAsync(master, prefix));

        // One step of c moves to b, and then the last of c as well: c is gone.
        await ExecuteAsync(master, $"UPDATE extensions SET context = '{prefix}b', exten = 't' WHERE context = '{prefix}c' AND exten = 's'");
        Assert.Equal(await CountedAsync(master, prefix), await KeptAsync(master, prefix));
        await ExecuteAsync(master, $"UPDATE extensions SET context = '{prefix}b' WHERE context = '{prefix}c'");
        Assert.Equal($"{prefix}a:{await StepsAsync(prefix + "a")}\n{prefix}b:4", await KeptAsync(master, prefix));
        Assert.Equal(2, await dialplan.Queries.ContextCountAsync(op, prefix, None));

        // A move within the context, and a case-only rename (the same context to the collation): no count changes.
        await ExecuteAsync(master, $"UPDATE extensions SET exten = 'u' WHERE context = '{prefix}b' AND exten = 't'");
        await ExecuteAsync(master, $"UPDATE extensions SET context = '{prefix.ToUpperInvariant()}B' WHERE context = '{prefix}b'");
        Assert.Equal(await CountedAsync(master, prefix), await KeptAsync(master, prefix));

        await ExecuteAsync(master, $"DELETE FROM extensions WHERE context = '{prefix}b' AND exten = 's'");
        Assert.Equal(await CountedAsync(master, prefix), await KeptAsync(master, prefix));
        await ExecuteAsync(master, $"DELETE FROM extensions WHERE context = '{prefix}b'");
        Assert.Equal(1, await dialplan.Queries.ContextCountAsync(op, prefix, None));
        Assert.Equal(await CountedAsync(master, prefix), await KeptAsync(master, prefix));
        await dialplan.Commands.DeleteContextAsync(op, prefix + "a", None);
        Assert.Equal("", await KeptAsync(master, prefix));
        Assert.Equal(0, await dialplan.Queries.ContextCountAsync(op, prefix, None));
    }

    [Fact]
    public async Task Asterisk_realtime_updates_run_the_trigger_as_its_definer()
    {
        var context = DialplanServices.UniqueContext("r");
        await ExecuteAsync(master, $"INSERT INTO extensions (context, exten, priority, app, appdata) VALUES ('{context}', 's', 1, 'Set', 'off')");
        // RealTimeUpdate(extensions|context|<name>|appdata|on) as Asterisk's account, which may UPDATE appdata only.
        var asterisk = new MySqlConnectionStringBuilder(master) { UserID = "asterisk", Password = "asterisk-dev" }.ConnectionString;
        Assert.Equal(1, await ExecuteAsync(asterisk, $"UPDATE extensions SET appdata = 'on' WHERE context = '{context}'"));
        Assert.Equal($"{context}:1", await KeptAsync(master, context));
    }

    [Fact]
    public async Task Replicas_hold_the_masters_counts_without_counting_twice()
    {
        var prefix = DialplanServices.UniqueContext("p")[..12];
        await ExecuteAsync(master, $"""
            INSERT INTO extensions (context, exten, priority, app) VALUES ('{prefix}a', 's', 1, 'Answer'), ('{prefix}a', 's', 2, 'Hangup'), ('{prefix}b', 's', 1, 'Answer');
            UPDATE extensions SET context = '{prefix}c' WHERE context = '{prefix}a' AND priority = 2;
            DELETE FROM extensions WHERE context = '{prefix}b';
            """);
        var gtid = await TestCluster.RootSqlAsync("master", "SELECT @@gtid_binlog_pos");
        var kept = await KeptAsync(master, prefix);
        Assert.Equal($"{prefix}a:1\n{prefix}c:1", kept);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.True(await TestCluster.WaitForGtidAsync(replica, gtid));
            Assert.Equal(kept, await KeptAsync(TestCluster.ReplicaConnectionString(replica), prefix));
        }
    }

    [Fact]
    public async Task Schema_check_finds_a_missing_trigger_and_apply_recounts_what_was_written_meanwhile()
    {
        var database = await FreshDatabaseAsync("ctxschema");
        var connection = database.AsteriskConnectionString;
        var check = new SchemaCheck(Microsoft.Extensions.Options.Options.Create(database), RealtimeSchema.FromMigration());
        Assert.Empty(await check.CheckAsync(None));
        await ExecuteAsync(connection, "INSERT INTO extensions (context, exten, priority) VALUES ('a', 's', 1), ('b', 's', 1)");

        await TestCluster.RootSqlAsync("master", $"DROP TRIGGER ctxschema_asteriskdb.{DialplanContextCount.DeleteTrigger}");
        await ExecuteAsync(connection, "DELETE FROM extensions WHERE context = 'a'; INSERT INTO extensions (context, exten, priority) VALUES ('c', 's', 1)");
        var finding = Assert.Single(await check.CheckAsync(None));
        Assert.Contains("context count", finding.What);
        Assert.Contains($"trigger {DialplanContextCount.DeleteTrigger} is missing", finding.What);
        // Without all its triggers the table is stale ('a' is still there): the count does not trust it.
        Assert.Equal("a:1\nb:1\nc:1", await KeptAsync(connection, ""));
        Assert.Equal(2, await new DialplanServices(database).Queries.ContextCountAsync(DialplanServices.Operator, null, None));

        await TestCluster.Migrator(database).ApplyRecommendedAsync(None);
        Assert.Empty(await check.CheckAsync(None));
        Assert.Equal("b:1\nc:1", await KeptAsync(connection, ""));

        await TestCluster.RootSqlAsync("master", $"DROP TABLE ctxschema_asteriskdb.{DialplanContextCount.Table}");
        Assert.Contains($"table {DialplanContextCount.Table} is missing", Assert.Single(await check.CheckAsync(None)).What);
        await TestCluster.Migrator(database).ApplyRecommendedAsync(None);
        Assert.Equal("b:1\nc:1", await KeptAsync(connection, ""));
    }

    [Fact]
    public async Task Installing_while_others_write_loses_no_step()
    {
        var database = await FreshDatabaseAsync("ctxinstall");
        var connection = database.AsteriskConnectionString;
        await DropAsync("ctxinstall_asteriskdb", withTable: true);
        using var stop = new CancellationTokenSource();
        var written = 0;
        // Two writers add and remove steps of a few contexts, each step its own transaction, through the install.
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            await using var writer = new MySqlConnection(connection);
            await writer.OpenAsync();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await using var insert = new MySqlCommand($"INSERT INTO extensions (context, exten, priority) VALUES ('w{w}-{i % 7}', '{i}', 1)", writer);
                await insert.ExecuteNonQueryAsync();
                if (i % 3 == 0)
                {
                    await using var delete = new MySqlCommand($"DELETE FROM extensions WHERE context = 'w{w}-{i % 7}' ORDER BY exten LIMIT 1", writer);
                    await delete.ExecuteNonQueryAsync();
                }
                Interlocked.Increment(ref written);
            }
        })).ToList();
        // Writes before the install, and writes after it: counted, not slept for.
        await Eventually.TrueAsync(() => Volatile.Read(ref written) >= 50, "the writers' first steps");
        await TestCluster.Migrator(database).ApplyRecommendedAsync(None);
        var installed = Volatile.Read(ref written);
        await Eventually.TrueAsync(() => Volatile.Read(ref written) >= installed + 50, "the writers' steps after the install");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.NotEqual("", await CountedAsync(connection, "w"));
        Assert.Equal(await CountedAsync(connection, "w"), await KeptAsync(connection, "w"));
    }

    [Fact]
    public async Task Without_the_triggers_the_count_is_the_loose_scan_kept_until_the_next_write()
    {
        var database = await FreshDatabaseAsync("ctxfallback");
        await DropAsync("ctxfallback_asteriskdb", withTable: false);
        var services = new DialplanServices(database);
        var kept = services.QueriesKeepingCounts;
        var op = DialplanServices.Operator;
        Assert.Equal(0, await kept.ContextCountAsync(op, "n", None));

        await services.Commands.CreateContextAsync(op, new NewContextForm { Context = "na" }, None);
        Assert.Equal(1, await kept.ContextCountAsync(op, "n", None));

        // A change the write path does not see (a database client, another portal) shows once the count is counted
        // again: after the next write, or the count's lifetime.
        await ExecuteAsync(database.AsteriskConnectionString, "INSERT INTO extensions (context, exten, priority, app) VALUES ('nb', 's', 1, 'Answer')");
        Assert.Equal(1, await kept.ContextCountAsync(op, "n", None));
        Assert.Equal(2, await services.Queries.ContextCountAsync(op, "n", None));
        await services.Commands.CreateContextAsync(op, new NewContextForm { Context = "nc" }, None);
        Assert.Equal(3, await kept.ContextCountAsync(op, "n", None));
    }

    [Fact]
    public async Task A_master_that_refuses_triggers_still_migrates_and_keeps_listing_the_change()
    {
        await TestCluster.RootSqlAsync("master", "SET GLOBAL log_bin_trust_function_creators = OFF");
        try
        {
            var database = await FreshDatabaseAsync("ctxrefused");
            var check = new SchemaCheck(Microsoft.Extensions.Options.Options.Create(database), RealtimeSchema.FromMigration());
            Assert.Contains("context count", Assert.Single(await check.CheckAsync(None)).What);
            await ExecuteAsync(database.AsteriskConnectionString, "INSERT INTO extensions (context, exten, priority) VALUES ('a', 's', 1), ('b', 's', 1)");
            Assert.Equal(2, await new DialplanServices(database).Queries.ContextCountAsync(DialplanServices.Operator, null, None));
            await Assert.ThrowsAsync<MySqlException>(() => TestCluster.Migrator(database).ApplyRecommendedAsync(None));
        }
        finally
        {
            await TestCluster.RootSqlAsync("master", "SET GLOBAL log_bin_trust_function_creators = ON");
        }
    }

    /// <summary>A database pair of its own, migrated as a fresh install (so with the count installed).</summary>
    private static async Task<DatabaseOptions> FreshDatabaseAsync(string name)
    {
        await TestCluster.RootSqlAsync("master", $"""
            DROP DATABASE IF EXISTS {name}_asteriskdb; DROP DATABASE IF EXISTS {name}_portal;
            CREATE DATABASE {name}_asteriskdb; CREATE DATABASE {name}_portal;
            GRANT ALL ON {name}_asteriskdb.* TO 'migrator'@'127.0.0.1'; GRANT ALL ON {name}_portal.* TO 'migrator'@'127.0.0.1';
            GRANT SELECT, INSERT, UPDATE, DELETE ON {name}_asteriskdb.* TO 'portal'@'127.0.0.1'; GRANT SELECT, INSERT, UPDATE, DELETE ON {name}_portal.* TO 'portal'@'127.0.0.1';
            """);
        var database = TestCluster.Database($"{name}_asteriskdb", $"{name}_portal");
        await TestCluster.Migrator(database).MigrateAsync(None);
        return database;
    }

    /// <summary>Back to a database where the count was never installed: the triggers first, as they write the table.</summary>
    private static Task DropAsync(string db, bool withTable) =>
        TestCluster.RootSqlAsync("master",
            string.Concat(DialplanContextCount.Triggers.Select(t => $"DROP TRIGGER {db}.{t}; ")) + (withTable ? $"DROP TABLE {db}.{DialplanContextCount.Table}" : ""));

    private async Task<int> StepsAsync(string context) =>
        Convert.ToInt32(await TestCluster.ScalarAsync(master, $"SELECT COUNT(*) FROM extensions WHERE context = '{context}'"));

    /// <summary>
    /// The contexts starting with the prefix and their steps, counted from extensions, as "context:steps" lines in
    /// lower case: after a case-only rename the table keeps the spelling it first saw, as the collation calls it equal.
    /// </summary>
    private static Task<string> CountedAsync(string connection, string prefix) =>
        LinesAsync(connection, $"SELECT LOWER(context), COUNT(*) FROM extensions WHERE context LIKE '{prefix}%' GROUP BY context ORDER BY context");

    /// <summary>The same from the maintained table.</summary>
    private static Task<string> KeptAsync(string connection, string prefix) =>
        LinesAsync(connection, $"SELECT LOWER(context), steps FROM {DialplanContextCount.Table} WHERE context LIKE '{prefix}%' ORDER BY context");

    private static async Task<string> LinesAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add($"{reader.GetString(0)}:{reader.GetInt64(1)}");
        }
        return string.Join("\n", lines);
    }

    private static async Task<int> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
