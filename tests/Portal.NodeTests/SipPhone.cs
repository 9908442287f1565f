using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Portal.NodeTests;

/// <summary>
/// A phone as far as registration goes: a REGISTER over UDP, answered with RFC 2617 digest auth (MD5, qop absent or
/// "auth") for the realm the node challenges with, computed from the clear secret as a phone does.
/// </summary>
public sealed partial class SipPhone(string user, string secret) : IDisposable
{
    public const string UserAgent = "Portal.NodeTests phone";

    private readonly UdpClient socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly string callId = Guid.NewGuid().ToString("N");
    private readonly string tag = Guid.NewGuid().ToString("N")[..10];
    private int cseq;

    public int LocalPort => ((IPEndPoint)socket.Client.LocalEndPoint!).Port;

    /// <summary>The realm of the last challenge the node sent.</summary>
    public string? ChallengeRealm { get; private set; }

    /// <summary>REGISTERs at a node; returns the status line of the final answer (200 OK, or why not).</summary>
    public async Task<string> RegisterAsync(int port)
    {
        var node = new IPEndPoint(IPAddress.Loopback, port);
        var uri = $"sip:127.0.0.1:{port}";
        var answer = await SendAsync(node, Register(uri, authorization: null));
        if (StatusCode(answer) is 401 or 407)
        {
            var challenge = Challenge().Match(answer);
            Assert.True(challenge.Success, "no digest challenge in:\n" + answer);
            ChallengeRealm = Parameter(challenge.Value, "realm");
            var nonce = Parameter(challenge.Value, "nonce")!;
            var ha1 = Md5($"{user}:{ChallengeRealm}:{secret}");
            var ha2 = Md5($"REGISTER:{uri}");
            var qop = Parameter(challenge.Value, "qop");
            var authorization = qop is null
                ? $"Digest username=\"{user}\", realm=\"{ChallengeRealm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{Md5($"{ha1}:{nonce}:{ha2}")}\", algorithm=MD5"
                : $"Digest username=\"{user}\", realm=\"{ChallengeRealm}\", nonce=\"{nonce}\", uri=\"{uri}\", qop=auth, nc=00000001, cnonce=\"{tag}\", response=\"{Md5($"{ha1}:{nonce}:00000001:{tag}:auth:{ha2}")}\", algorithm=MD5";
            answer = await SendAsync(node, Register(uri, authorization));
        }
        return answer.Split("\r\n")[0];
    }

    public void Dispose() => socket.Dispose();

    private string Register(string uri, string? authorization)
    {
        var text = new StringBuilder()
            .Append($"REGISTER {uri} SIP/2.0\r\n")
            .Append($"Via: SIP/2.0/UDP 127.0.0.1:{LocalPort};branch=z9hG4bK{Guid.NewGuid():N};rport\r\n")
            .Append("Max-Forwards: 70\r\n")
            .Append($"From: <sip:{user}@127.0.0.1>;tag={tag}\r\n")
            .Append($"To: <sip:{user}@127.0.0.1>\r\n")
            .Append($"Call-ID: {callId}@127.0.0.1\r\n")
            .Append($"CSeq: {++cseq} REGISTER\r\n")
            .Append($"Contact: <sip:{user}@127.0.0.1:{LocalPort}>\r\n")
            .Append("Expires: 300\r\n")
            .Append($"User-Agent: {UserAgent}\r\n");
        if (authorization is not null)
        {
            text.Append($"Authorization: {authorization}\r\n");
        }
        return text.Append("Content-Length: 0\r\n\r\n").ToString();
    }

    /// <summary>Sends a request and returns the first final answer to it, skipping provisional ones and the node's own requests (qualify OPTIONS).</summary>
    private async Task<string> SendAsync(IPEndPoint node, string request)
    {
        var bytes = Encoding.ASCII.GetBytes(request);
        await socket.SendAsync(bytes, node);
        using var timeout = new CancellationTokenSource(TestNodes.Deadline);
        while (true)
        {
            var received = await socket.ReceiveAsync(timeout.Token);
            var text = Encoding.ASCII.GetString(received.Buffer);
            if (text.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && text.Contains($"CSeq: {cseq} REGISTER", StringComparison.Ordinal) && StatusCode(text) >= 200)
            {
                return text;
            }
        }
    }

    private static int StatusCode(string answer) => int.Parse(answer.Split(' ', 3)[1]);

    private static string? Parameter(string header, string name) =>
        Regex.Match(header, $"{name}=\"?([^\",\\r\\n]*)\"?") is { Success: true } m ? m.Groups[1].Value : null;

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("^(WWW|Proxy)-Authenticate: Digest .*$", RegexOptions.Multiline)]
    private static partial Regex Challenge();
}
