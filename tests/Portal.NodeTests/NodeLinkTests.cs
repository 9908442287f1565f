using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Asterisk.Manager;
using Portal.IntegrationTests;
using Portal.IntegrationTests.Nodes;
using Portal.Web.Data;
using Portal.Web.Features.Nodes;

namespace Portal.NodeTests;

/// <summary>The portal's manager link to the real nodes (scripts/nodes declares them with user `portal` and its secret).</summary>
[Collection(NodesCollection.Name)]
public sealed class NodeLinkTests : IAsyncLifetime
{
    private static readonly Caller TenantAdmin = new("node-link-tenant-admin", IsOperator: false, TenantKey: "company-a");

    private readonly NodeLinks links = new(NodeServices.Portal(), NodeServices.Secrets, NullLogger<NodeLinks>.Instance);
    private readonly NodeCommands commands = NodeServices.Commands();

    private static int FirstAmiPort { get; } = int.Parse(Environment.GetEnvironmentVariable("NODES_AMI_PORT") ?? "23370");

    public Task InitializeAsync() => links.StartAsync(CancellationToken.None);

    public async Task DisposeAsync() => await links.StopAsync(CancellationToken.None);

    [Fact]
    public async Task The_portal_logs_in_to_both_nodes_and_reads_their_version()
    {
        foreach (var node in TestNodes.Names)
        {
            var state = await WaitForAsync(node, s => s.Status == NodeLinkStatus.Connected && s.AsteriskVersion is not null);
            Assert.Equal("11.25.3", state.AsteriskVersion);
            Assert.NotNull(state.StartedAt);
            Assert.NotNull(state.CallsUp);
        }
    }

    [Fact]
    public async Task The_cluster_dialect_follows_the_release_a_node_reports_over_the_declared_one()
    {
        await WaitForAsync("node1", s => s.AsteriskVersion is not null);
        var portal = NodeServices.Portal();
        await using var db = await portal.CreateDbContextAsync();
        var declared = await db.Nodes.Where(n => n.Name == "node1").Select(n => n.AsteriskVersion).SingleAsync();
        await db.Nodes.Where(n => n.Name == "node1").ExecuteUpdateAsync(n => n.SetProperty(x => x.AsteriskVersion, "1.4"));
        try
        {
            Assert.Equal("1.4", (await new ClusterAsterisk(portal).OldestAsync(CancellationToken.None)).Label);
            // The node answers 11.25.3 over its manager link: its REALTIME functions, not 1.4's applications, are what runs.
            Assert.Equal("11", (await new ClusterAsterisk(portal, links).OldestAsync(CancellationToken.None)).Label);
        }
        finally
        {
            await db.Nodes.Where(n => n.Name == "node1").ExecuteUpdateAsync(n => n.SetProperty(x => x.AsteriskVersion, declared));
        }
    }

    [Fact]
    public async Task A_killed_node_shows_down_with_its_reason_and_is_connected_again_when_it_is_back()
    {
        // Down within 2 s of its last answer: a Ping every 500 ms, each with a 1.5 s deadline (or the socket's close).
        Assert.Equal(TimeSpan.FromMilliseconds(500), links.Timings.PingEvery);
        Assert.True(links.Timings.PingEvery + links.Timings.PingDeadline <= TimeSpan.FromSeconds(2));
        await WaitForAsync("node2", s => s.Status == NodeLinkStatus.Connected);

        TestNodes.Kill("node2");
        try
        {
            var down = await WaitForAsync("node2", s => s.Status != NodeLinkStatus.Connected);
            Assert.True(down.Status is NodeLinkStatus.Unreachable or NodeLinkStatus.TimedOut, $"{down.Status}: {down.Why}");
            Assert.False(string.IsNullOrEmpty(down.Why));
            Assert.Equal(NodeLinkStatus.Connected, links.StateOf("node1").Status);
        }
        finally
        {
            await TestNodes.UpAsync();
        }

        var back = await WaitForAsync("node2", s => s.Status == NodeLinkStatus.Connected && s.AsteriskVersion is not null);
        Assert.Equal("11.25.3", back.AsteriskVersion);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_not_down()
    {
        var name = NodeServices.UniqueName("wrong");
        await SaveAsync(name, "127.0.0.1", AmiPort("node1"), "not-the-secret");
        await links.RefreshNodesAsync(CancellationToken.None);

        var state = await WaitForAsync(name, s => s.Status is not (NodeLinkStatus.Connecting or NodeLinkStatus.NotConfigured));

        Assert.True(state.Status == NodeLinkStatus.Refused, $"{state.Status}: {state.Why}");
        Assert.Contains("Authentication failed", state.Why);
        await DeleteAsync(name);
    }

    [Fact]
    public async Task A_port_that_answers_something_else_is_not_Asterisk()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2\r\n\u0001\u0002garbage\r\n"));
            await Task.Delay(TimeSpan.FromSeconds(5));
        });
        var name = NodeServices.UniqueName("garbage");
        await SaveAsync(name, "127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, "whatever");
        await links.RefreshNodesAsync(CancellationToken.None);

        var state = await WaitForAsync(name, s => s.Status is not (NodeLinkStatus.Connecting or NodeLinkStatus.NotConfigured));

        Assert.True(state.Status == NodeLinkStatus.NotAsterisk, $"{state.Status}: {state.Why}");
        Assert.Contains("SSH-2.0", state.Why);
        await DeleteAsync(name);
        await serving;
    }

    [Fact]
    public async Task An_operator_sees_sip_show_peer_and_a_prune_is_audited_and_a_tenant_admin_is_refused()
    {
        await WaitForAsync("node1", s => s.Status == NodeLinkStatus.Connected);
        var actions = new NodeOperatorActions(links, TestCluster.Writer(), NodeServices.Portal(), NullLogger<NodeOperatorActions>.Instance);

        // node1 knows no peer of that name: Asterisk's own answer comes back through the Command action.
        var shown = await actions.RunAsync(NodeServices.Operator, "node1", NodeAction.ShowPeer, "nosuchpeer", CancellationToken.None);
        Assert.Equal("sip show peer nosuchpeer", shown.Command);
        Assert.Contains(shown.Output, l => l.Contains("Peer nosuchpeer not found", StringComparison.Ordinal));

        var peer = NodeServices.UniqueName("prune");
        var pruned = await actions.RunAsync(NodeServices.Operator, "node1", NodeAction.PrunePeer, peer, CancellationToken.None);
        Assert.Equal($"sip prune realtime peer {peer}", pruned.Command);
        await using (var db = await NodeServices.Portal().CreateDbContextAsync())
        {
            var audit = await db.Audit.AsNoTracking().SingleAsync(a => a.RowKey == "node1" && a.NewValues!.StartsWith($"sip prune realtime peer {peer}"));
            Assert.Equal(NodeServices.Operator.UserName, audit.UserName);
            Assert.Equal("node PrunePeer", audit.Action);
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() => actions.RunAsync(TenantAdmin, "node1", NodeAction.PrunePeer, peer, CancellationToken.None));
        await Assert.ThrowsAsync<WriteRefusedException>(() => actions.RunAsync(NodeServices.Operator, "node1", NodeAction.ShowPeer, "x; core stop now", CancellationToken.None));
    }

    private static int AmiPort(string node) => FirstAmiPort + Array.IndexOf(TestNodes.Names, node);

    private async Task SaveAsync(string name, string host, int port, string secret)
    {
        var id = await commands.FindAsync(NodeServices.Operator, name, CancellationToken.None);
        var form = new NodeForm { Name = name, ReplicaHost = "127.0.0.1", ReplicaPort = TestCluster.Port + 1, AsteriskVersion = "11", ManagerHost = host, ManagerPort = port, ManagerUser = "portal", ManagerSecret = secret };
        await commands.SaveAsync(NodeServices.Operator, id, form, CancellationToken.None);
    }

    private async Task DeleteAsync(string name) =>
        await commands.DeleteAsync(NodeServices.Operator, (await commands.FindAsync(NodeServices.Operator, name, CancellationToken.None))!.Value, CancellationToken.None);

    private async Task<NodeLinkState> WaitForAsync(string node, Func<NodeLinkState, bool> done)
    {
        var deadline = DateTime.UtcNow + TestNodes.Deadline;
        while (true)
        {
            var state = links.StateOf(node);
            if (done(state))
            {
                return state;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{node}: still {state.Status} ({state.Why})");
            await Task.Delay(100);
        }
    }
}
