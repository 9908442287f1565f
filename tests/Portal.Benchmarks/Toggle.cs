using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Portal.IntegrationTests;

namespace Portal.Benchmarks;

/// <summary>
/// An office-closed toggle from the call to "live on all replicas": the portal's command (authorize, lock the flag
/// row, update, audit, commit, GTID) plus MASTER_GTID_WAIT on each replica, against a raw UPDATE plus the same wait.
/// Target: at most 3x raw.
/// </summary>
public static class Toggle
{
    public static async Task RunAsync(Services services, int runs, Report report)
    {
        var toggle = await BenchmarkToggleAsync(services);
        var ours = await Measure.TimeAsync(async () =>
        {
            var start = Stopwatch.GetTimestamp();
            var result = await services.Toggles.FlipAsync(Services.Operator, toggle.Id, closed: Random.Shared.Next(2) == 0, default);
            await foreach (var confirmation in services.Confirmations.WaitAsync(result.Gtid!, start, default))
            {
                if (!confirmation.Applied)
                {
                    throw new InvalidOperationException($"{confirmation.Replica}: {confirmation.Error}");
                }
            }
        }, runs);

        // The raw way, as a person at a mysql prompt would: connections already open, one UPDATE, then the wait.
        await using var master = new MySqlConnection(TestCluster.Database().AsteriskConnectionString);
        await master.OpenAsync();
        var replicas = new List<MySqlConnection>();
        foreach (var name in TestCluster.Replicas)
        {
            var replica = new MySqlConnection(TestCluster.ReplicaConnectionString(name));
            await replica.OpenAsync();
            replicas.Add(replica);
        }
        var raw = await Measure.TimeAsync(async () =>
        {
            await using var update = new MySqlCommand($"UPDATE extensions SET appdata = '{(Random.Shared.Next(2) == 0 ? "on" : "off")}' WHERE app = '{toggle.Key}'", master);
            await update.ExecuteNonQueryAsync();
            await using var last = new MySqlCommand("SELECT @@last_gtid", master);
            var gtid = (string)(await last.ExecuteScalarAsync())!;
            await Task.WhenAll(replicas.Select(async replica =>
            {
                await using var wait = new MySqlCommand($"SELECT MASTER_GTID_WAIT('{gtid}', 10)", replica);
                await wait.ExecuteScalarAsync();
            }));
        }, runs);
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }

        report.Table("Office-closed toggle to live on all replicas (ms, min / median / p95)", "path", "time", "target");
        report.Row("portal: FlipAsync + GTID confirmation on both replicas", Report.Ms(ours), report.Check(ours.Median <= 3 * raw.Median, $"{ours.Median / raw.Median:0.0}x raw (at most 3x)"));
        report.Row("raw: UPDATE + MASTER_GTID_WAIT on both replicas", Report.Ms(raw), "baseline");
    }

    private static async Task<(int Id, string Key)> BenchmarkToggleAsync(Services services)
    {
        await using var db = await services.Portal.CreateDbContextAsync();
        var key = Sizes.TenantKey(0);
        var toggle = await db.OfficeToggles.Where(t => t.Key == key).Select(t => new { t.Id, t.Key }).SingleAsync();
        return (toggle.Id, toggle.Key);
    }
}
