using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.IntegrationTests.Replication;

/// <summary>
/// A master that answers late is busy, not down: with 200 circuits open the probe's pings came late with the master up,
/// and the portal turned read-only and sent its reads to a replica. Only a refused connection, or lasting silence, is an
/// outage.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class MasterProbeTests
{
    private static readonly MasterProbeOptions Quick = new()
    {
        Interval = TimeSpan.FromMilliseconds(100),
        Timeout = TimeSpan.FromMilliseconds(400),
        DownAfter = TimeSpan.FromMilliseconds(1500),
    };

    private static DatabaseOptions MasterAt(int port) => TestCluster.Database() is var database
        ? new DatabaseOptions
        {
            Master = new MySqlConnectionStringBuilder(database.Master) { Port = (uint)port }.ConnectionString,
            Migrator = database.Migrator,
        }
        : throw new UnreachableException();

    [Fact]
    public async Task A_master_that_stops_answering_is_called_down_only_once_it_stays_silent()
    {
        await using var proxy = new BlackHoleProxy(TestCluster.Port, TimeSpan.FromSeconds(60));
        var state = new MasterState(TimeProvider.System);
        // Down from the start, so a ping answered through the proxy shows: the state turns reachable.
        state.ReportUnreachable(new InvalidOperationException("not pinged yet"));
        using var probe = new MasterProbe(state, Options.Create(MasterAt(proxy.Port)), Options.Create(Quick), NullLogger<MasterProbe>.Instance);
        await probe.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => !state.IsDown, "the master answering a ping through the proxy");

            proxy.BlackHole();
            await Eventually.TrueAsync(() => state.IsDown, "a master silent for good being called down");
            // The probe says how long it had no answer: pings that were only late (each after 400 ms) did not turn the
            // portal read-only, the silence lasting DownAfter did.
            var silence = Regex.Match(state.DownReason!, @"^no answer for ([0-9.]+) s$");
            Assert.True(silence.Success, state.DownReason);
            Assert.True(double.Parse(silence.Groups[1].Value, CultureInfo.InvariantCulture) >= Quick.DownAfter.TotalSeconds, state.DownReason);
        }
        finally
        {
            await probe.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_refused_connection_turns_the_master_down_at_once()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var state = new MasterState(TimeProvider.System);
        using var probe = new MasterProbe(state, Options.Create(MasterAt(port)), Options.Create(Quick), NullLogger<MasterProbe>.Instance);
        await probe.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => state.IsDown, "a refused connection being an outage");
            // Called down for the refusal itself, not after the silence that a master that only answers late needs.
            Assert.DoesNotContain("no answer", state.DownReason);
        }
        finally
        {
            await probe.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_connect_timeout_is_not_a_connection_failure()
    {
        await using var proxy = new BlackHoleProxy(TestCluster.Port, TimeSpan.FromSeconds(30));
        proxy.BlackHole();
        var connectionString = new MySqlConnectionStringBuilder(MasterAt(proxy.Port).AsteriskConnectionString) { ConnectionTimeout = 1, Pooling = false }.ConnectionString;
        await using var connection = new MySqlConnection(connectionString);
        var timedOut = await Assert.ThrowsAsync<MySqlException>(() => connection.OpenAsync());

        Assert.True(MasterState.IsConnectTimeout(timedOut), timedOut.Message);
        // The heartbeat and the write path report the master down on a connection failure: not on a slow handshake.
        Assert.Null(MasterState.ConnectionFailure(timedOut));
    }
}
