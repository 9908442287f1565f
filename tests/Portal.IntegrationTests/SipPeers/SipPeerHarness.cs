using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;
using Portal.Web.Features.SipPeers;

namespace Portal.IntegrationTests.SipPeers;

/// <summary>The peers area wired as Program.cs wires it, on the test cluster's master.</summary>
internal sealed class SipPeerHarness
{
    public static readonly Caller Operator = new("sip-operator@example.test", IsOperator: true, TenantKey: null);

    public SipPeerHarness(RealtimeSchema? schema = null)
    {
        var database = TestCluster.Database();
        var serverVersion = ServerVersion.Parse(database.ServerVersion);
        Asterisk = new PooledDbContextFactory<AsteriskDb>(new DbContextOptionsBuilder<AsteriskDb>().UseMySql(database.AsteriskConnectionString, serverVersion).Options);
        var portal = new PooledDbContextFactory<PortalDb>(new DbContextOptionsBuilder<PortalDb>().UseMySql(database.PortalConnectionString, serverVersion).Options);
        Validator = new SipPeerFormValidator(schema ?? RealtimeSchema.FromMigration());
        Writer = TestCluster.Writer(database);
        Commands = new SipPeerCommands(Writer, Validator, Options.Create(new SipDigestOptions()));
        List = new SipPeerList(Asterisk, new TenantDirectory(portal), TimeProvider.System);
        Import = new SipPeerImport(Commands, Validator, List, Asterisk, Writer);
    }

    public IDbContextFactory<AsteriskDb> Asterisk { get; }
    public SipPeerFormValidator Validator { get; }
    public MasterWriter Writer { get; }
    public SipPeerCommands Commands { get; }
    public SipPeerList List { get; }
    public SipPeerImport Import { get; }

    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 10)];

    public static SipPeerForm Form(string name) => new()
    {
        Name = name,
        Context = "company-a",
        Callerid = "\"Test Desk\" <1001>",
        Secret = SipPeerForm.GenerateSecret(),
        Mailbox = "1001@company-a",
    };

    public async Task<SipPeer> ReadAsync(int id)
    {
        await using var db = await Asterisk.CreateDbContextAsync();
        return await db.SipPeers.AsNoTracking().SingleAsync(p => p.Id == id);
    }

    /// <summary>What chan_sip does on REGISTER: an UPDATE of the registration columns, as the asterisk account (column grants).</summary>
    public static async Task RegisterAsync(string name, string ipaddr, int regseconds)
    {
        await using var connection = new MySqlConnection($"Server=127.0.0.1;Port={TestCluster.Port};User ID=asterisk;Password=asterisk-dev;Database=asteriskdb");
        await connection.OpenAsync();
        await using var command = new MySqlCommand(
            "UPDATE sip SET ipaddr = @ip, port = '5062', regseconds = @reg, fullcontact = @contact, useragent = 'Yealink SIP-T46S', lastms = 17, regserver = 'node1' WHERE name = @name",
            connection);
        command.Parameters.AddWithValue("@ip", ipaddr);
        command.Parameters.AddWithValue("@reg", regseconds);
        command.Parameters.AddWithValue("@contact", $"sip:{name}@{ipaddr}:5062^3Bob");
        command.Parameters.AddWithValue("@name", name);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public static Task<object?> OnReplicaAsync(string replica, string sql) => TestCluster.ScalarAsync(TestCluster.ReplicaConnectionString(replica), sql);

    public static async Task WaitEverywhereAsync(WriteResult result)
    {
        Assert.NotNull(result.Gtid);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.True(await TestCluster.WaitForGtidAsync(replica, result.Gtid!), $"{replica} did not apply {result.Gtid}");
        }
    }
}
