using Microsoft.Extensions.Options;
using MySqlConnector;

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
    /// for what the server answered (a missing table, a refused privilege), which says nothing about it being down.
    /// </summary>
    public static MySqlException? ConnectionFailure(Exception e) =>
        (e as MySqlException ?? e.InnerException as MySqlException) is { } m &&
        (m.ErrorCode == MySqlErrorCode.UnableToConnectToHost || m.InnerException is IOException or System.Net.Sockets.SocketException)
            ? m
            : null;

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

public sealed class MasterProbeOptions
{
    public const string Section = "MasterProbe";

    /// <summary>How often the master is pinged; with the timeout below an outage shows within 2 s.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Pings the master on its own connection so an outage is noticed even when nobody is editing.</summary>
public sealed class MasterProbe(MasterState state, IOptions<DatabaseOptions> database, IOptions<MasterProbeOptions> options, ILogger<MasterProbe> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = new MySqlConnectionStringBuilder(database.Value.AsteriskConnectionString)
        {
            ConnectionTimeout = (uint)Math.Max(1, options.Value.Timeout.TotalSeconds),
            Pooling = false,
        }.ConnectionString;
        using var timer = new PeriodicTimer(options.Value.Interval);
        do
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(options.Value.Timeout);
                await using var connection = new MySqlConnection(connectionString);
                await connection.OpenAsync(timeout.Token);
                await using var command = new MySqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(timeout.Token);
                if (state.IsDown)
                {
                    log.LogInformation("The master is reachable again.");
                }
                state.ReportReachable();
            }
            catch (Exception e) when (e is MySqlException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                if (!state.IsDown)
                {
                    log.LogWarning("The master is unreachable: {Reason}", e.Message);
                }
                state.ReportUnreachable(e is OperationCanceledException ? new TimeoutException("no answer within " + options.Value.Timeout.TotalSeconds + " s") : e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
