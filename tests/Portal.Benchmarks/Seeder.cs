using System.Diagnostics;
using System.Text;
using MySqlConnector;
using Portal.IntegrationTests;
using Portal.Web.Data;

namespace Portal.Benchmarks;

/// <summary>The data sizes of a benchmark run: production scale, or a hundredth of it for scripts/test.</summary>
public sealed record Sizes(int Tenants, int Peers, int Contexts, int Extensions, int Pins, int Mailboxes)
{
    public static readonly Sizes Full = new(1_000, 100_000, 10_000, 1_000_000, 200_000, 100_000);
    public static readonly Sizes Tiny = new(10, 1_000, 100, 10_000, 2_000, 1_000);

    public static string TenantKey(int i) => $"t{i:0000}";

    /// <summary>Five digits, so no seeded tenant takes the demo's accountcodes (1111, 2222): they are unique.</summary>
    public static string Accountcode(int tenant) => (10_000 + tenant).ToString();

    public static string Context(int i) => $"c{i:00000}";
}

/// <summary>
/// Seeds the cluster's master in seconds with LOAD DATA LOCAL INFILE (streamed, no temp files): the benchmark's
/// tenants, peers, dialplan, PINs and mailboxes. It replaces whatever the four tables held, so it refuses the
/// development cluster's port unless told otherwise.
/// </summary>
public static class Seeder
{
    public static async Task SeedAsync(Sizes sizes, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var connectionString = new MySqlConnectionStringBuilder(TestCluster.Database().Migrator)
        {
            Database = "asteriskdb",
            AllowLoadLocalInfile = true,
            DefaultCommandTimeout = 600,
        }.ConnectionString;
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "sip", "extensions", "pins", "voicemail" })
        {
            await ExecuteAsync(connection, $"TRUNCATE TABLE asteriskdb.{table}");
        }
        // TRUNCATE fires no trigger: the maintained context count starts over with the table it counts.
        await ExecuteAsync(connection, $"TRUNCATE TABLE asteriskdb.{DialplanContextCount.Table}");
        await ExecuteAsync(connection, "DELETE FROM portal.tenant_contexts WHERE tenant_id IN (SELECT id FROM portal.tenants WHERE tenant_key LIKE 't____')");
        await ExecuteAsync(connection, "DELETE FROM portal.tenants WHERE tenant_key LIKE 't____'");

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await LoadAsync(connection, "sip", ["name", "callerid", "context", "accountcode", "host", "type", "secret", "allow", "ipaddr", "port", "regseconds", "useragent", "lastms", "fullcontact"],
            Enumerable.Range(0, sizes.Peers).Select(i =>
            {
                var tenant = i % sizes.Tenants;
                var state = i % 3; // registered now, expired, never registered
                var registered = state != 2;
                return new[]
                {
                    $"p{i:000000}", $"\"User {i}\" <{i}>", Sizes.TenantKey(tenant), Sizes.Accountcode(tenant), "dynamic", "friend",
                    $"secret{i * 7919 % 1_000_003:0000000}", "ulaw;alaw;gsm",
                    registered ? $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}" : "", registered ? "5060" : "",
                    state switch { 0 => (now + 3600).ToString(), 1 => (now - 86_400).ToString(), _ => "0" },
                    registered ? "Yealink SIP-T46S 66.86.0.15" : "", registered ? (i % 90 + 10).ToString() : "0",
                    registered ? $"sip:p{i:000000}@10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}:5060^3Btransport=udp" : "",
                };
            }), log);

        var perContext = sizes.Extensions / sizes.Contexts;
        await LoadAsync(connection, "extensions", ["context", "exten", "priority", "app", "appdata"],
            Enumerable.Range(0, sizes.Extensions).Select(i =>
            {
                var context = i / perContext;
                var step = i % perContext;
                var exten = 1000 + step / 4;
                return (step % 4) switch
                {
                    0 => new[] { Sizes.Context(context), exten.ToString(), "1", "Answer", "" },
                    1 => [Sizes.Context(context), exten.ToString(), "2", "Dial", $"SIP/p{exten:000000}|20|tr"],
                    2 => [Sizes.Context(context), exten.ToString(), "3", "VoiceMail", $"{exten}@{Sizes.Context(context)}|u"],
                    _ => [Sizes.Context(context), exten.ToString(), "4", "Hangup", ""],
                };
            }), log);

        await LoadAsync(connection, "pins", ["company", "pin", "active"],
            Enumerable.Range(0, sizes.Pins).Select(i =>
            {
                var tenant = i % sizes.Tenants;
                return new[] { Sizes.TenantKey(tenant), $"{Sizes.Accountcode(tenant)}-{100000 + i / sizes.Tenants}", i % 10 == 0 ? "no" : "yes" };
            }), log);

        await LoadAsync(connection, "voicemail", ["customer_id", "context", "mailbox", "password", "fullname", "email"],
            Enumerable.Range(0, sizes.Mailboxes).Select(i =>
            {
                var tenant = i % sizes.Tenants;
                return new[] { Sizes.TenantKey(tenant), Sizes.TenantKey(tenant), (1000 + i / sizes.Tenants).ToString(), (1000 + i % 9000).ToString(), $"User {i}", $"user{i}@{Sizes.TenantKey(tenant)}.test" };
            }), log);

        // With the accountcode the PINs are stored under, as the PIN pages look them up.
        var tenants = new StringBuilder("INSERT INTO portal.tenants (tenant_key, name, accountcode) VALUES ");
        tenants.AppendJoin(",", Enumerable.Range(0, sizes.Tenants).Select(t => $"('{Sizes.TenantKey(t)}', 'Tenant {t}', '{Sizes.Accountcode(t)}')"));
        await ExecuteAsync(connection, tenants.ToString());
        await ExecuteAsync(connection, "INSERT INTO portal.tenant_contexts (tenant_id, context) SELECT id, tenant_key FROM portal.tenants WHERE tenant_key LIKE 't____'");
        // Each tenant's office-closed toggle and its flag row, as the portal creates them.
        await ExecuteAsync(connection, "INSERT INTO portal.office_toggles (tenant_id, name, toggle_key, known_state) SELECT id, 'Office closed', tenant_key, 'off' FROM portal.tenants WHERE tenant_key LIKE 't____'");
        await ExecuteAsync(connection, "INSERT INTO asteriskdb.extensions (context, exten, priority, app, appdata) SELECT tenant_key, 'office-closed', 1, tenant_key, 'off' FROM portal.tenants WHERE tenant_key LIKE 't____'");
        await ExecuteAsync(connection, "ANALYZE TABLE asteriskdb.sip, asteriskdb.extensions, asteriskdb.pins, asteriskdb.voicemail");
        log.WriteLine($"seeded {sizes} in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task LoadAsync(MySqlConnection connection, string table, string[] columns, IEnumerable<string[]> rows, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var pipe = new System.IO.Pipelines.Pipe();
        var writer = Task.Run(async () =>
        {
            await using var stream = pipe.Writer.AsStream();
            await using var text = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
            foreach (var row in rows)
            {
                await text.WriteAsync(string.Join('\t', row.Select(Escape)));
                await text.WriteAsync('\n');
            }
        });
        var loader = new MySqlBulkLoader(connection)
        {
            TableName = $"asteriskdb.{table}",
            SourceStream = pipe.Reader.AsStream(),
            Local = true,
            FieldTerminator = "\t",
            LineTerminator = "\n",
            EscapeCharacter = '\\',
            CharacterSet = "utf8mb4",
        };
        loader.Columns.AddRange(columns);
        var loaded = await loader.LoadAsync();
        await writer;
        log.WriteLine($"  {table}: {loaded:N0} rows in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n");

    private static async Task ExecuteAsync(MySqlConnection connection, string sql)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
