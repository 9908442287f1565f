using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Portal.Asterisk.Manager;

namespace Portal.Web.Features.Nodes;

/// <summary>Why a node's manager link is not up, in the words the Nodes page shows.</summary>
public enum NodeLinkStatus
{
    NotConfigured,
    Connecting,
    Connected,

    /// <summary>The node answered as Asterisk and refused the login (wrong user or secret, or not permitted from here).</summary>
    Refused,
    Unreachable,
    TimedOut,

    /// <summary>Something answers on the port, but not with the manager's banner, or with lines that are not AMI.</summary>
    NotAsterisk,
}

public sealed class ManagerLinkException(NodeLinkStatus status, string message, Exception? inner = null) : Exception(message, inner)
{
    public NodeLinkStatus Status { get; } = status;
}

/// <summary>
/// One TCP connection to a node's manager interface: logged in, a reader task that matches responses to actions by
/// ActionID and keeps at most <see cref="EventCapacity"/> unread events (the oldest are dropped and counted), so a
/// node that floods events, hangs or sends garbage costs one task and a bounded buffer, never a caller's wait past
/// its timeout.
/// </summary>
public sealed class ManagerConnection : IAsyncDisposable
{
    public const int EventCapacity = 1000;

    /// <summary>Longer than any line Asterisk writes; a line past it is garbage.</summary>
    private const int MaxLineBytes = 64 * 1024;

    private static readonly TimeSpan LoginPenalty = TimeSpan.FromSeconds(2);

    private readonly TcpClient tcp;
    private NetworkStream stream = null!;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ManagerMessage>> pending = new();
    private readonly Channel<ManagerMessage> events;
    private readonly SemaphoreSlim writing = new(1, 1);
    private readonly CancellationTokenSource closing = new();
    private readonly TaskCompletionSource<ManagerLinkException> closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] buffer = new byte[8192];
    private int buffered;
    private int start;
    private long nextId;
    private long droppedEvents;

    private ManagerConnection(TcpClient tcp)
    {
        this.tcp = tcp;
        events = Channel.CreateBounded<ManagerMessage>(new BoundedChannelOptions(EventCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref droppedEvents));
    }

    /// <summary>The manager version of the banner ("1.3" in Asterisk 11).</summary>
    public string ManagerVersion { get; private set; } = "";

    public ChannelReader<ManagerMessage> Events => events.Reader;

    public long DroppedEvents => Interlocked.Read(ref droppedEvents);

    /// <summary>Completes, with the reason, when the connection ends (the node closed it, sent garbage, or it was disposed).</summary>
    public Task<ManagerLinkException> Closed => closed.Task;

    /// <summary>Connects, reads the banner and logs in; every step within <paramref name="timeout"/>.</summary>
    /// <exception cref="ManagerLinkException">Why the node is not reachable, not Asterisk, or refused the login.</exception>
    public static async Task<ManagerConnection> OpenAsync(string host, int port, string user, string secret, TimeSpan timeout, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        var connection = new ManagerConnection(tcp);
        try
        {
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                connecting.CancelAfter(timeout);
                try
                {
                    await tcp.ConnectAsync(host, port, connecting.Token);
                    connection.stream = tcp.GetStream();
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new ManagerLinkException(NodeLinkStatus.TimedOut, $"no answer from {host}:{port} within {timeout.TotalSeconds:0.#} s");
                }
                catch (SocketException e)
                {
                    throw new ManagerLinkException(NodeLinkStatus.Unreachable, $"{host}:{port}: {e.Message}", e);
                }
                string? banner;
                try
                {
                    banner = await connection.ReadLineAsync(connecting.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new ManagerLinkException(NodeLinkStatus.TimedOut, $"{host}:{port} accepted the connection but sent no banner within {timeout.TotalSeconds:0.#} s");
                }
                catch (ManagerProtocolException e)
                {
                    throw new ManagerLinkException(NodeLinkStatus.NotAsterisk, $"{host}:{port} is not Asterisk's manager: {e.Message}", e);
                }
                catch (IOException e)
                {
                    throw new ManagerLinkException(NodeLinkStatus.Unreachable, $"{host}:{port} closed the connection: {e.Message}", e);
                }
                connection.ManagerVersion = (banner is null ? null : ManagerReader.BannerVersion(banner))
                    ?? throw new ManagerLinkException(NodeLinkStatus.NotAsterisk, banner is null
                        ? $"{host}:{port} closed the connection without the manager's banner"
                        : $"{host}:{port} is not Asterisk's manager: it answered \"{Printable(banner)}\"");
            }
            _ = connection.ReadLoopAsync();
            // Asterisk sleeps a second before it answers a failed login: the deadline allows for it.
            var login = await connection.SendAsync("Login", timeout + LoginPenalty, ct, ("Username", user), ("Secret", secret), ("Events", "system,call"));
            if (!login.IsSuccess)
            {
                throw new ManagerLinkException(NodeLinkStatus.Refused, $"login as {user} refused: {login["Message"] ?? "no reason given"}");
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends an action and waits for its response.</summary>
    /// <exception cref="ManagerLinkException">No response within the timeout (TimedOut), or the connection ended.</exception>
    public async Task<ManagerMessage> SendAsync(string action, TimeSpan timeout, CancellationToken ct, params (string Key, string Value)[] headers)
    {
        var id = Interlocked.Increment(ref nextId).ToString();
        var response = new TaskCompletionSource<ManagerMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = response;
        try
        {
            var bytes = Encoding.UTF8.GetBytes(ManagerAction.Format(action, id, headers));
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, closing.Token);
            waiting.CancelAfter(timeout);
            try
            {
                await writing.WaitAsync(waiting.Token);
                try
                {
                    await stream.WriteAsync(bytes, waiting.Token);
                }
                finally
                {
                    writing.Release();
                }
                await Task.WhenAny(response.Task, closed.Task).WaitAsync(waiting.Token);
                // The reader completes a response before it reports the close that follows it (a refused login is
                // answered and closed at once): a completed response wins, whichever wake-up ran first.
                return response.Task.IsCompleted ? await response.Task : throw await closed.Task;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && response.Task.IsCompleted)
            {
                return await response.Task;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw closed.Task.IsCompleted ? await closed.Task : new ManagerLinkException(NodeLinkStatus.TimedOut, $"no response to {action} within {timeout.TotalSeconds:0.#} s");
            }
            catch (IOException e)
            {
                throw new ManagerLinkException(NodeLinkStatus.Unreachable, $"the connection broke: {e.Message}", e);
            }
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        closed.TrySetResult(new ManagerLinkException(NodeLinkStatus.Unreachable, "the connection was closed by the portal"));
        await closing.CancelAsync();
        tcp.Dispose();
        closing.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var reader = new ManagerReader();
        ManagerLinkException reason;
        try
        {
            while (await ReadLineAsync(closing.Token) is { } line)
            {
                if (reader.Feed(line) is not { } message)
                {
                    continue;
                }
                if (message.ActionId is { } id && !message.IsEvent && pending.TryGetValue(id, out var waiter))
                {
                    waiter.TrySetResult(message);
                }
                else if (message.IsEvent)
                {
                    events.Writer.TryWrite(message);
                }
            }
            reason = new ManagerLinkException(NodeLinkStatus.Unreachable, "the node closed the connection");
        }
        catch (ManagerProtocolException e)
        {
            reason = new ManagerLinkException(NodeLinkStatus.NotAsterisk, $"the node sent something that is not AMI: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            reason = new ManagerLinkException(NodeLinkStatus.Unreachable, $"the connection broke: {e.Message}", e);
        }
        events.Writer.TryComplete();
        closed.TrySetResult(reason);
    }

    /// <summary>One line without its CR LF, or null at the end of the stream; a line over <see cref="MaxLineBytes"/> is garbage.</summary>
    private async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new MemoryStream();
        while (true)
        {
            if (start == buffered)
            {
                start = 0;
                buffered = await stream.ReadAsync(buffer, ct);
                if (buffered == 0)
                {
                    return line.Length > 0 ? Decode(line) : null;
                }
            }
            var newline = Array.IndexOf(buffer, (byte)'\n', start, buffered - start);
            var end = newline < 0 ? buffered : newline;
            line.Write(buffer, start, end - start);
            start = newline < 0 ? buffered : newline + 1;
            if (line.Length > MaxLineBytes)
            {
                throw new ManagerProtocolException($"a line longer than {MaxLineBytes} bytes");
            }
            if (newline >= 0)
            {
                return Decode(line);
            }
        }
    }

    private static string Decode(MemoryStream line)
    {
        var text = Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length);
        return text.EndsWith('\r') ? text[..^1] : text;
    }

    private static string Printable(string text)
    {
        var printable = new string(text.Select(c => char.IsControl(c) ? '?' : c).Take(60).ToArray());
        return text.Length > 60 ? printable + "..." : printable;
    }
}
