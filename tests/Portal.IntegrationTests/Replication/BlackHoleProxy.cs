using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Portal.IntegrationTests.Replication;

/// <summary>
/// A loopback TCP proxy for fault injection. It forwards to a port until <see cref="BlackHole"/>, after which it
/// keeps every connection open and silently drops whatever arrives either way: to the replica the link looks
/// alive and idle. Bounded: loopback only, at most <see cref="MaxConnections"/> connections, and it shuts itself
/// down when its lifetime ends even if a test never disposes it.
/// </summary>
public sealed class BlackHoleProxy : IAsyncDisposable
{
    public const int MaxConnections = 8;

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop;
    private readonly ConcurrentBag<TcpClient> clients = [];
    private readonly Task accepting;
    private volatile bool forwarding = true;
    private int disposed;

    public BlackHoleProxy(int targetPort, TimeSpan lifetime)
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        stop = new CancellationTokenSource(lifetime);
        accepting = AcceptAsync(targetPort, stop.Token);
    }

    public int Port { get; }

    public void BlackHole() => forwarding = false;

    private async Task AcceptAsync(int targetPort, CancellationToken ct)
    {
        var accepted = 0;
        try
        {
            while (true)
            {
                var inbound = await listener.AcceptTcpClientAsync(ct);
                if (++accepted > MaxConnections)
                {
                    inbound.Dispose();
                    continue;
                }
                var outbound = new TcpClient();
                clients.Add(inbound);
                clients.Add(outbound);
                try
                {
                    await outbound.ConnectAsync(IPAddress.Loopback, targetPort, ct);
                }
                catch (SocketException)
                {
                    inbound.Dispose();
                    continue;
                }
                _ = PumpAsync(inbound, outbound, ct);
                _ = PumpAsync(outbound, inbound, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            listener.Stop();
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                if (forwarding)
                {
                    await target.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            // The source closed: pass the close on, as a real link would.
            to.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
    }

    /// <summary>Closes every connection; safe to call twice (a test's finally, then its using).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }
        await stop.CancelAsync();
        await accepting;
        stop.Dispose();
    }
}
