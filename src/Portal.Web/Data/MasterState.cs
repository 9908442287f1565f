using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Features.Replication;
using Portal.Web.Setup;

namespace Portal.Web.Data;

/// <summary>
/// Whether the master is reachable, as the portal last saw it. While it is down every edit is refused up front
/// with a clear message instead of failing half-way; <see cref="MasterProbe"/> notices when it is back.
/// </summary>
public sealed class MasterState(TimeProvider clock)
{
    private volatile string? downReason;

    public bool IsDown => downReason is not null;

    public string? DownReason => downReason;

    public DateTimeOffset? DownSince { get; private set; }

    public event Action? Changed;

    public void ThrowIfDown()
    {
        if (downReason is { } reason)
        {
            throw new WriteRefusedException($"The master database is unreachable ({reason}), so the portal is read-only: nothing was changed. Edits work again as soon as it is back.");
        }
    }

    public void ReportUnreachable(Exception e)
    {
        if (downReason is null)
        {
            DownSince = clock.GetUtcNow();
            downReason = e.Message;
            Changed?.Invoke();
        }
    }

    /// <summary>
    /// The connection failure behind an exception (a dead socket, a refused connection), if that is what it is; null
    /// for what the server answered (a missing table, a refused privilege), which says nothing about it being down, and
    /// for a connect that timed out (see <see cref="IsConnectTimeout"/>).
    /// </summary>
    public static MySqlException? ConnectionFailure(Exception e) =>
        (e as MySqlException ?? e.InnerException as MySqlException) is { } m && !IsConnectTimeout(m) &&
        (m.ErrorCode == MySqlErrorCode.UnableToConnectToHost || m.InnerException is IOException or System.Net.Sockets.SocketException)
            ? m
            : null;

    /// <summary>
    /// A connect that did not finish within the connection string's Connect Timeout. MySqlConnector gives it the same
    /// error code as a refused connection, but it says something else: the handshake was slow, which a master that is up
    /// does when the machine is busy (with 200 circuits and their browsers on 2 cores, a handshake took seconds).
    /// Only <see cref="MasterProbe"/> turns lasting slowness into an outage.
    /// </summary>
    public static bool IsConnectTimeout(MySqlException e) =>
        e.ErrorCode == MySqlErrorCode.UnableToConnectToHost && e.Message.StartsWith("Connect Timeout expired", StringComparison.Ordinal);

    public void ReportReachable()
    {
        if (downReason is not null)
        {
            downReason = null;
            DownSince = null;
            Changed?.Invoke();
        }
    }
}

public sealed class MasterProbeOptions : IValidatableObject
{
    public const string Section = "MasterProbe";

    /// <summary>How often the master is pinged.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>One ping's answer; a ping that takes longer counts as unanswered.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the master may leave every ping unanswered before the portal calls it down. A refused or broken
    /// connection says so at once (a killed master shows within a ping); a ping that is only late may be a busy moment
    /// of this process or the machine, which must not turn the portal read-only and send its reads to a replica.
    /// </summary>
    public TimeSpan DownAfter { get; set; } = TimeSpan.FromSeconds(3);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
    [
        .. Settings.Between(Interval, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1), "MasterProbe:Interval"),
        .. Settings.Between(Timeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1), "MasterProbe:Timeout"),
        .. Settings.Between(DownAfter, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), "MasterProbe:DownAfter"),
        .. Settings.AtLeast(DownAfter, Timeout, "MasterProbe:DownAfter", "MasterProbe:Timeout", "one late ping is a busy moment, not an outage"),
    ];
}

/// <summary>
/// Pings the master so an outage is noticed even when nobody is editing. One connection is kept open between pings, so
/// a ping is one round trip: a new connection per ping is a TCP connect and a handshake of several round trips, each
/// waiting for a thread of a busy process, and it timed out with the master up once 200 circuits were open.
/// </summary>
public sealed class MasterProbe(MasterState state, IOptions<DatabaseOptions> database, IOptions<MasterProbeOptions> options, ILogger<MasterProbe> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // The driver's own connect timeout is longer than a ping's, so that a slow connect ends as the ping's timeout
        // (not answered yet) rather than as a connection failure.
        var connectionString = new MySqlConnectionStringBuilder(database.Value.AsteriskConnectionString)
        {
            ConnectionTimeout = (uint)Math.Max(1, Math.Ceiling(settings.DownAfter.TotalSeconds)) + 1,
        }.ConnectionString;
        await using var link = new LongLivedConnection(connectionString, settings.Timeout);
        using var timer = new PeriodicTimer(settings.Interval);
        var answered = Stopwatch.GetTimestamp();
        do
        {
            try
            {
                await link.RunAsync(async (connection, ct) =>
                {
                    await using var command = new MySqlCommand("SELECT 1", connection);
                    return await command.ExecuteScalarAsync(ct);
                }, stoppingToken);
                answered = Stopwatch.GetTimestamp();
                if (state.IsDown)
                {
                    log.LogInformation("The master is reachable again.");
                }
                state.ReportReachable();
            }
            catch (Exception e) when (e is MySqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                var late = e is TimeoutException || (e is MySqlException m && MasterState.IsConnectTimeout(m));
                var silent = Stopwatch.GetElapsedTime(answered);
                if (late && silent < settings.DownAfter)
                {
                    continue;
                }
                var reason = late ? new TimeoutException($"no answer for {silent.TotalSeconds:0.#} s") : e;
                if (!state.IsDown)
                {
                    log.LogWarning("The master is unreachable: {Reason}", reason.Message);
                }
                state.ReportUnreachable(reason);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
