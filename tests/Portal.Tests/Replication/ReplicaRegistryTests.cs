using Portal.Web.Features.Replication;

namespace Portal.Tests.Replication;

public class ReplicaRegistryTests
{
    private static KnownReplica Known(string name, string host, int port, long? serverId) =>
        new(new ReplicaEndpoint { Name = name, Host = host, Port = port }, true, serverId, DateTimeOffset.UnixEpoch);

    private static readonly KnownReplica[] Replicas =
    [
        Known("replica1", "10.0.0.21", 3306, 2),
        Known("replica2", "10.0.0.22", 3306, null),
        Known("replica3", "10.0.0.23", 3306, null),
    ];

    [Fact]
    public void An_attached_replica_is_matched_by_server_id_first()
    {
        Assert.Equal(0, ReplicaRegistry.IndexOf(Replicas, new AttachedReplica(2, "renamed-host", 3307)));
    }

    [Fact]
    public void Then_by_report_host_as_its_name_then_by_address()
    {
        Assert.Equal(1, ReplicaRegistry.IndexOf(Replicas, new AttachedReplica(3, "replica2", 3306)));
        Assert.Equal(2, ReplicaRegistry.IndexOf(Replicas, new AttachedReplica(4, "10.0.0.23", 3306)));
    }

    [Fact]
    public void An_unknown_replica_is_new()
    {
        Assert.Equal(-1, ReplicaRegistry.IndexOf(Replicas, new AttachedReplica(9, "replica9", 3306)));
    }
}
