using MySqlConnector;

namespace Portal.Web.Features.Replication;

/// <summary>
/// One connection kept open for frequent small queries (the heartbeat, the polls), each of which must answer within
/// a timeout. A query that fails or times out gives the connection up, and the next one opens a fresh connection.
/// A server that hangs (no RST, no answer) is noticed within the timeout instead of the driver's own minutes.
/// </summary>
public sealed class LongLivedConnection(string connectionString, TimeSpan timeout) : IAsyncDisposable
{
    private readonly string connectionString = new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
    private MySqlConnection? connection;

    /// <summary>The open server's dialect (MariaDB or MySQL), known once connected.</summary>
    public ServerDialect? Dialect { get; private set; }

    public async Task<T> RunAsync<T>(Func<MySqlConnection, CancellationToken, Task<T>> query, CancellationToken ct)
    {
        if (connection is null)
        {
            var opening = new MySqlConnection(connectionString);
            await Bounded(opening, OpenAsync(opening, ct), ct);
            Dialect = ServerDialect.From(opening.ServerVersion);
            connection = opening;
        }
        var current = connection;
        try
        {
            return await Bounded(current, query(current, ct), ct);
        }
        catch
        {
            connection = null;
            throw;
        }
    }

    /// <summary>Waits for <paramref name="task"/> at most the timeout; on failure the connection is disposed once the task ends.</summary>
    private async Task<T> Bounded<T>(MySqlConnection owner, Task<T> task, CancellationToken ct)
    {
        try
        {
            return await task.WaitAsync(timeout, ct);
        }
        catch (Exception e)
        {
            // Disposing a connection while a command still runs on it is not safe; wait for the command to end.
            _ = task.ContinueWith(_ => owner.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
            if (e is TimeoutException)
            {
                throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.#} s", e);
            }
            throw;
        }
    }

    private static async Task<bool> OpenAsync(MySqlConnection connection, CancellationToken ct)
    {
        await connection.OpenAsync(ct);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is { } c)
        {
            connection = null;
            await c.DisposeAsync();
        }
    }
}
