using System.Diagnostics;
using System.Text;
using Portal.Web.Features.SipPeers;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.SipPeers;

[Collection(ClusterCollection.Name)]
public sealed class SipPeerImportTests(ITestOutputHelper output)
{
    private readonly SipPeerHarness peers = new();

    private static string Csv(string prefix, int rows, int badRow = -1)
    {
        var csv = new StringBuilder("name,type,host,context,callerid,secret,mailbox,allow\r\n");
        for (var i = 0; i < rows; i++)
        {
            var host = i == badRow ? "not a host" : "dynamic";
            csv.Append($"{prefix}{i},friend,{host},company-a,\"\"\"Desk {i}\"\" <{10000 + i}>\",Secret-{i:D8}-xyz,{10000 + i}@company-a,ulaw;alaw\r\n");
        }
        return csv.ToString();
    }

    private static async Task<long> CountAsync(string prefix) =>
        (long)(await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM sip WHERE name LIKE '{prefix}%'"))!;

    [Fact]
    public async Task One_bad_row_among_10000_is_reported_by_line_and_column_and_nothing_is_written_then_the_fixed_file_goes_in_whole()
    {
        var prefix = SipPeerHarness.Unique("imp") + "-";
        var clock = Stopwatch.StartNew();
        var bad = Csv(prefix, 10_000, badRow: 4_321);
        var report = await peers.Import.DryRunAsync(SipPeerHarness.Operator, bad, null, CancellationToken.None);
        output.WriteLine($"dry run of 10,000 rows: {clock.ElapsedMilliseconds} ms");
        var error = Assert.Single(report.Errors);
        Assert.Equal((4_321 + 2, "host"), (error.Line, error.Column));
        Assert.Equal(10_000, report.Rows);

        var refused = await peers.Import.ApplyAsync(SipPeerHarness.Operator, bad, null, CancellationToken.None);
        Assert.Null(refused.Result);
        Assert.Equal(0L, await CountAsync(prefix));

        var progress = new List<ImportProgress>();
        clock.Restart();
        var outcome = await peers.Import.ApplyAsync(SipPeerHarness.Operator, Csv(prefix, 10_000), new SyncProgress(progress.Add), CancellationToken.None);
        output.WriteLine($"import of 10,000 rows (validation, inserts, 101 audit entries): {clock.ElapsedMilliseconds} ms");
        Assert.NotNull(outcome.Result);
        Assert.Equal(10_000L, await CountAsync(prefix));
        Assert.Contains(progress, p => p.Stage == "inserting" && p.Done == 10_000);
        await SipPeerHarness.WaitEverywhereAsync(outcome.Result!);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.Equal(10_000L, await SipPeerHarness.OnReplicaAsync(replica, $"SELECT COUNT(*) FROM asteriskdb.sip WHERE name LIKE '{prefix}%'"));
        }
        Assert.Equal("ulaw;alaw", await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT allow FROM sip WHERE name = '{prefix}7'"));
        // One summary entry, and the 10,000 peers' ids and values in entries of 100.
        Assert.Equal(101L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString,
            $"SELECT COUNT(*) FROM portal.audit_log WHERE action = 'import peers' AND new_values LIKE '%{prefix}%'"));
        Assert.Equal(1L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString,
            $"SELECT COUNT(*) FROM portal.audit_log WHERE action = 'import peers' AND row_key = 'import of 10000 peers' AND new_values LIKE '%{prefix}0\"%'"));
        Assert.Equal(0L, await TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString,
            $"SELECT COUNT(*) FROM portal.audit_log WHERE action = 'import peers' AND new_values LIKE '%Secret-0000%'"));

        // The same file again: every row is a duplicate now, and says so.
        var again = await peers.Import.DryRunAsync(SipPeerHarness.Operator, Csv(prefix, 3), null, CancellationToken.None);
        Assert.Equal([2, 3, 4], again.Errors.Select(e => e.Line));
        Assert.All(again.Errors, e => Assert.Equal("name", e.Column));
        await TestCluster.RootSqlAsync("master", $"DELETE FROM asteriskdb.sip WHERE name LIKE '{prefix}%'");
    }

    [Fact]
    public async Task The_report_names_every_error_by_line_and_column_and_warns_about_contexts_without_dialplan()
    {
        var prefix = SipPeerHarness.Unique("rep") + "-";
        var csv =
            "name,host,port,context,callerid,allow,ipaddr\r\n" +
            $"{prefix}1,dynamic,,company-a,,ulaw,192.0.2.1\r\n" +
            $"{prefix}2,bad host,99999,company-a,Alice <1>,ulaw;mp3,\r\n" +
            $"{prefix}1,dynamic,,company-a,,ulaw,\r\n" +
            $"{prefix}4,dynamic,,nowhere-{prefix[3..8]},,gsm,\r\n" +
            "only,three,fields\r\n";
        var report = await peers.Import.DryRunAsync(SipPeerHarness.Operator, csv, null, CancellationToken.None);

        Assert.Equal(
            [(3, "host"), (3, "port"), (3, "callerid"), (3, "allow"), (4, "name"), (6, "")],
            report.Errors.Select(e => (e.Line, e.Column)).OrderBy(e => e.Line).ThenBy(e => e.Column == "" ? 9 : 0).ToList());
        Assert.Contains(report.Errors, e => e.Line == 4 && e.Message.Contains("line 2"));
        Assert.Contains(report.Warnings, w => w.Column == "context" && w.Line == 5);
        Assert.Contains(report.Warnings, w => w.Column == "secret");
        Assert.False(report.CanApply);
    }

    [Fact]
    public async Task An_unknown_column_or_broken_quoting_stops_at_the_header()
    {
        var unknown = await peers.Import.DryRunAsync(SipPeerHarness.Operator, "name,colour\r\na,b\r\n", null, CancellationToken.None);
        Assert.Equal((1, "colour"), (unknown.Errors.Single().Line, unknown.Errors.Single().Column));
        var broken = await peers.Import.DryRunAsync(SipPeerHarness.Operator, "name\r\n\"open\r\n", null, CancellationToken.None);
        Assert.Contains("never closed", broken.Errors.Single().Message);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test wants the reports in order, at once.</summary>
    private sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
