using System.Diagnostics;
using System.Text;
using MySqlConnector;
using Portal.IntegrationTests;
using Portal.Web.Features.Pins;

namespace Portal.Benchmarks;

/// <summary>
/// A CSV import of 100,000 PINs with validation (dry run, then all or nothing through the write path), against a raw
/// LOAD DATA of the same rows. Target: under 10 s.
/// </summary>
public static class PinImport
{
    public const string Tenant = "timport";
    public const string Accountcode = "7777";

    public static async Task RunAsync(Services services, Sizes sizes, Report report)
    {
        var count = sizes.Pins / 2;
        var pins = services.Pins;
        var csv = new StringBuilder(PinCsv.Header).Append('\n');
        for (var i = 0; i < count; i++)
        {
            csv.Append(Accountcode).Append('-').Append(10_000_000 + i).Append(i % 10 == 0 ? ",no\n" : ",yes\n");
        }
        var text = csv.ToString();
        await ResetAsync();

        var clock = Stopwatch.StartNew();
        var dry = await pins.ImportAsync(Services.Operator, Tenant, text, dryRun: true, default);
        var dryRun = clock.Elapsed;
        var applied = await pins.ImportAsync(Services.Operator, Tenant, text, dryRun: false, default);
        var total = clock.Elapsed;
        if (dry.Report.ToAdd != count || applied.Report.ToAdd != count)
        {
            throw new InvalidOperationException($"expected {count} PINs to add, the import planned {dry.Report.ToAdd} and added {applied.Report.ToAdd}");
        }

        await ResetAsync();
        clock.Restart();
        await using (var connection = new MySqlConnection(new MySqlConnectionStringBuilder(TestCluster.Database().AsteriskConnectionString) { AllowLoadLocalInfile = true }.ConnectionString))
        {
            await connection.OpenAsync();
            var loader = new MySqlBulkLoader(connection)
            {
                TableName = "pins",
                Local = true,
                FieldTerminator = ",",
                LineTerminator = "\n",
                NumberOfLinesToSkip = 1,
                SourceStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                Expressions = { $"company = '{Tenant}'" },
            };
            loader.Columns.AddRange(["pin", "active"]);
            await loader.LoadAsync();
        }
        var raw = clock.Elapsed;

        report.Table($"CSV import of {count:N0} PINs (s)", "path", "time", "target: under 10 s");
        report.Row("portal: parse + validate + dry run", $"{dryRun.TotalSeconds:0.00}", "");
        report.Row("portal: dry run, then validate again and write all or nothing, with audit", $"{total.TotalSeconds:0.00}", report.Check(total.TotalSeconds < 10, $"{total.TotalSeconds:0.00} s"));
        report.Row("raw: LOAD DATA LOCAL INFILE of the same file (no validation)", $"{raw.TotalSeconds:0.00}", "baseline");
    }

    /// <summary>A tenant of its own with an accountcode and no PINs, so every run imports the same file into nothing.</summary>
    private static async Task ResetAsync()
    {
        await using var connection = new MySqlConnection(TestCluster.Database().Migrator);
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            $"DELETE FROM asteriskdb.pins WHERE company = '{Tenant}'; " +
            $"INSERT IGNORE INTO portal.tenants (tenant_key, name, accountcode) VALUES ('{Tenant}', 'Import benchmark', '{Accountcode}')", connection);
        await command.ExecuteNonQueryAsync();
    }
}
