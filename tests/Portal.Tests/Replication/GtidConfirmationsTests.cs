using MySqlConnector;
using Portal.Web.Features.Replication;

namespace Portal.Tests.Replication;

public class GtidConfirmationsTests
{
    [Fact]
    public void A_confirmation_connection_may_take_as_long_to_open_as_the_confirmation_may_take()
    {
        var options = new ReplicationOptions { ConfirmTimeout = TimeSpan.FromSeconds(10) };
        var replica = new ReplicaEndpoint { Name = "replica1", Port = 3307 };

        var confirming = new MySqlConnectionStringBuilder(GtidConfirmations.ConnectionString(options, replica));

        // The monitor's other connections give up after 2 s; a busy machine took that long to open the first ones.
        Assert.Equal(2u, new MySqlConnectionStringBuilder(options.ConnectionString(replica)).ConnectionTimeout);
        Assert.Equal(10u, confirming.ConnectionTimeout);
        Assert.False(confirming.ConnectionReset);
        Assert.Equal("monitor", confirming.UserID);
    }
}
