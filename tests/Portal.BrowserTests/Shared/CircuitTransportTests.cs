using System.Net;
using System.Net.WebSockets;

namespace Portal.BrowserTests.Shared;

/// <summary>How circuits connect: uncompressed WebSockets, and pages that other sites still cannot frame.</summary>
[Collection(PortalCollection.Name)]
public sealed class CircuitTransportTests(PortalServer portal)
{
    [Fact]
    public async Task A_circuit_socket_declines_compression_and_pages_still_refuse_foreign_frames()
    {
        using var http = new HttpClient { BaseAddress = new Uri(portal.BaseUrl) };
        using var response = await http.GetAsync("/Account/Login");
        Assert.Contains("frame-ancestors 'self'", string.Join(" ", response.Headers.GetValues("Content-Security-Policy")));

        // A browser offers permessage-deflate on every WebSocket; the portal must not take it up.
        using var socket = new ClientWebSocket();
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new Uri(portal.BaseUrl.Replace("http://", "ws://") + "/_blazor"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"));
    }
}
