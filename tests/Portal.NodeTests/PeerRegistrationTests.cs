using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Portal.IntegrationTests;
using Portal.Web.Data;
using Portal.Web.Features.SipPeers;

namespace Portal.NodeTests;

[Collection(NodesCollection.Name)]
public sealed class PeerRegistrationTests
{
    private static readonly Caller Operator = new("node-test-operator", IsOperator: true, TenantKey: null);

    private readonly SipPeerCommands commands;
    private readonly SipPeerList list;

    public PeerRegistrationTests()
    {
        var database = TestCluster.Database();
        var version = ServerVersion.Parse(database.ServerVersion);
        var asterisk = new PooledDbContextFactory<AsteriskDb>(new DbContextOptionsBuilder<AsteriskDb>().UseMySql(database.AsteriskConnectionString, version).Options);
        var portal = new PooledDbContextFactory<PortalDb>(new DbContextOptionsBuilder<PortalDb>().UseMySql(database.PortalConnectionString, version).Options);
        commands = new SipPeerCommands(TestCluster.Writer(database), new SipPeerFormValidator(RealtimeSchema.FromMigration()), Options.Create(new SipDigestOptions()));
        list = new SipPeerList(asterisk, new TenantDirectory(portal), TimeProvider.System);
    }

    [Theory]
    [InlineData("node1", false)]
    [InlineData("node2", true)]
    public async Task A_peer_made_in_the_portal_registers_on_a_node_and_the_portal_shows_where(string node, bool md5secret)
    {
        var name = "n" + Guid.NewGuid().ToString("N")[..10];
        var secret = SipPeerForm.GenerateSecret();
        var form = new SipPeerForm { Name = name, Context = "company-a", Callerid = "\"Node test\" <1001>", Secret = secret, StoreMd5 = md5secret };
        var (id, written) = await commands.CreateAsync(Operator, form, CancellationToken.None);
        Assert.True(await TestCluster.WaitForGtidAsync(TestNodes.ReplicaOf(node), written.Gtid!), "the peer did not reach the node's replica");

        using var phone = new SipPhone(name, secret);
        var answer = await phone.RegisterAsync(TestNodes.SipPort(node));

        // With systemname set and no realm in sip.conf, chan_sip challenges with the node's name and an md5secret made
        // for the portal's realm fails ("Wrong password").
        Assert.Equal(new SipDigestOptions().Realm, phone.ChallengeRealm);
        Assert.Equal("SIP/2.0 200 OK", answer);
        SipPeer? peer = null;
        await TestNodes.EventuallyAsync(async () => (peer = await list.FindAsync(Operator, id, CancellationToken.None))?.Regseconds > 0, $"{node} wrote the registration of {name}");
        Assert.Equal(node, peer!.Regserver);
        Assert.Equal(("127.0.0.1", phone.LocalPort.ToString(), SipPhone.UserAgent), (peer.Ipaddr, peer.Port, peer.Useragent));
        Assert.Equal(RegistrationState.Registered, Registration.State(peer.Regseconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        Assert.Contains($"127.0.0.1:{phone.LocalPort}", await TestNodes.RxAsync(node, $"sip show peer {name}"));
    }
}
