using System.Diagnostics;
using MySqlConnector;
using Portal.Asterisk.Dialplan;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Dialplan;

/// <summary>
/// The browse, search and simulator reads at production scale: 1,000,000 rows in 10,000 contexts, in a database of
/// their own (built once per cluster, not replicated), with the indexes the schema check recommends. Each read is
/// judged by the rows the server's handlers read for it (SHOW SESSION STATUS), which a busy machine does not
/// change, and its time is written to the test output.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DialplanScaleTests(ITestOutputHelper output)
{
    private const int Contexts = 10_000;
    private const int Rows = 1_000_000;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Browse_search_and_simulate_never_scan_a_million_rows()
    {
        var database = await ScaleDatabaseAsync();
        await using var connection = new MySqlConnection(database.AsteriskConnectionString);
        await connection.OpenAsync();
        var dialplan = new DialplanServices(database, connection);
        var key = await TenantAsync(dialplan);
        var admin = new Caller("scale-admin", IsOperator: false, TenantKey: key);
        var queries = dialplan.Queries;
        var op = DialplanServices.Operator;
        var read = new Reads(connection, output);

        // Counting contexts reads the table the triggers keep, one row per context (the loose scan of the key it
        // replaces dives about twice per context). A page reads its contexts' rows once, to count their extensions and
        // steps (100 rows each here).
        Assert.Equal(Contexts, await read.MeasureAsync("count contexts", Contexts + 100, () => queries.ContextCountAsync(op, null, None)));
        var first = await read.MeasureAsync("contexts, first page", 10_000, () => queries.ContextsAsync(op, null, null, 0, 50, None));
        Assert.Equal(new ContextRow("ctx-00001", 25, 100, null), first[0]);
        var deep = await read.MeasureAsync("contexts, page 191 by offset", 3 * Contexts + 10_000, () => queries.ContextsAsync(op, null, null, 9500, 50, None));
        Assert.Equal("ctx-09501", deep[0].Context);
        var next = await read.MeasureAsync("contexts, page 192 after page 191", 10_000, () => queries.ContextsAsync(op, null, deep[^1].Context, 0, 50, None));
        Assert.Equal("ctx-09551", next[0].Context);
        Assert.Equal(10, await read.MeasureAsync("count contexts starting ctx-0700", 100, () => queries.ContextCountAsync(op, "ctx-0700", None)));
        var mine = await read.MeasureAsync("contexts of a tenant admin", 10_000, () => queries.ContextsAsync(admin, null, null, 0, 50, None));
        Assert.Equal(["ctx-00042", "ctx-05000"], mine.Select(r => r.Context));

        var context = await read.MeasureAsync("a context's first 25 extensions", 1_000, () => queries.ContextAsync(op, "ctx-05000", null, 0, 25, None));
        Assert.Equal(25, context.Extensions.Count);
        Assert.All(context.Extensions, e => Assert.Equal([1, 2, 3, 4], e.Steps.Select(s => s.Step.Priority)));

        // 40,000 rows match: the count stops at the cap, and a deep page is still one range of the exten index.
        var byExten = await read.MeasureAsync("search exten 1001, page 150", 3 * DialplanQueries.SearchCountCap + 10_000, () => queries.SearchAsync(op, SearchField.Exten, "1001", 150, 50, None));
        Assert.True(byExten.Capped);
        Assert.Equal(50, byExten.Rows.Count);
        var byApp = await read.MeasureAsync("search app VoiceM", 3 * DialplanQueries.SearchCountCap, () => queries.SearchAsync(op, SearchField.App, "VoiceM", 0, 50, None));
        Assert.True(byApp.Capped);
        var byAppdata = await read.MeasureAsync("search appdata SIP/4242-", 200, () => queries.SearchAsync(op, SearchField.Appdata, "SIP/4242-", 0, 50, None));
        Assert.Equal(25, byAppdata.Total);

        var simulation = await read.MeasureAsync("simulate 18005551234", 200, () => queries.SimulateAsync(op, "ctx-05000", "18005551234", RealtimeSwitch.LongestPatternFirstSince, None));
        Assert.Equal("_1NXXNXXXXXX", simulation.Steps[0].Step.Exten);
    }

    private sealed class Reads(MySqlConnection connection, ITestOutputHelper output)
    {
        public async Task<T> MeasureAsync<T>(string what, long mostRows, Func<Task<T>> query)
        {
            await query();
            var before = await HandlerReadsAsync();
            var clock = Stopwatch.StartNew();
            var result = await query();
            var elapsed = clock.Elapsed;
            // The status query itself reads nothing from a table.
            var rows = await HandlerReadsAsync() - before;
            output.WriteLine($"{what}: {elapsed.TotalMilliseconds:0.0} ms, {rows:N0} rows read");
            Assert.True(rows <= mostRows, $"{what} read {rows:N0} rows (at most {mostRows:N0} expected)");
            return result;
        }

        private async Task<long> HandlerReadsAsync()
        {
            await using var command = new MySqlCommand("SELECT SUM(VARIABLE_VALUE) FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME LIKE 'HANDLER\\_READ\\_%'", connection);
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
    }

    private static async Task<string> TenantAsync(DialplanServices dialplan)
    {
        var key = await TestCluster.RootSqlAsync("master", "SELECT tenant_key FROM scale_portal.tenants LIMIT 1");
        return key.Length > 0 ? key : await dialplan.CreateTenantAsync("ctx-00042", "ctx-05000");
    }

    /// <summary>scale_asteriskdb, migrated by the portal's migrator (so it has the recommended indexes and the
    /// maintained context count, whose triggers count every row filled) and filled without the binlog: 10,000
    /// contexts of 25 extensions of 4 steps, and a pattern route in one context.</summary>
    private static async Task<DatabaseOptions> ScaleDatabaseAsync()
    {
        var database = TestCluster.Database("scale_asteriskdb", "scale_portal");
        if (await TestCluster.RootSqlAsync("master", "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'scale_asteriskdb' AND TABLE_NAME = 'extensions'") == "1"
            && await TestCluster.RootSqlAsync("master", "SELECT COUNT(*) FROM scale_asteriskdb.extensions") == (Rows + 7).ToString()
            && await TestCluster.RootSqlAsync("master", "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'scale_asteriskdb'") == DialplanContextCount.Triggers.Length.ToString())
        {
            return database;
        }
        await TestCluster.RootSqlAsync("master", """
            DROP DATABASE IF EXISTS scale_asteriskdb; DROP DATABASE IF EXISTS scale_portal;
            CREATE DATABASE scale_asteriskdb; CREATE DATABASE scale_portal;
            GRANT ALL ON scale_asteriskdb.* TO 'migrator'@'127.0.0.1'; GRANT ALL ON scale_portal.* TO 'migrator'@'127.0.0.1';
            GRANT SELECT, INSERT, UPDATE, DELETE ON scale_asteriskdb.* TO 'portal'@'127.0.0.1'; GRANT SELECT, INSERT, UPDATE, DELETE ON scale_portal.* TO 'portal'@'127.0.0.1';
            """);
        await TestCluster.Migrator(database).MigrateAsync(None);
        await TestCluster.RootSqlAsync("master", """
            SET SESSION sql_log_bin = 0;
            USE scale_asteriskdb;
            INSERT INTO extensions (context, exten, priority, app, appdata)
            SELECT CONCAT('ctx-', LPAD(c.seq, 5, '0')), 1000 + e.seq, p.seq,
                   ELT(p.seq, 'Answer', 'Dial', 'VoiceMail', 'Hangup'),
                   ELT(p.seq, '', CONCAT('SIP/', c.seq, '-', 1000 + e.seq, '|20|tr'), CONCAT(1000 + e.seq, '@ctx-', c.seq, '|u'), '')
            FROM seq_1_to_10000 c, seq_1_to_25 e, seq_1_to_4 p;
            INSERT INTO extensions (context, exten, priority, app, appdata)
            SELECT 'ctx-05000', '_1NXXNXXXXXX', seq, 'NoOp', CONCAT('step ', seq) FROM seq_1_to_7;
            ANALYZE TABLE extensions;
            """);
        return database;
    }
}
