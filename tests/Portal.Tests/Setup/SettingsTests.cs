using System.ComponentModel.DataAnnotations;
using Portal.Web.Data;
using Portal.Web.Features.Nodes;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Replication;
using Portal.Web.Setup;

namespace Portal.Tests.Setup;

public sealed class SettingsTests
{
    private static List<string> Problems(object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage ?? "").ToList();
    }

    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.All(new object[] { new MasterProbeOptions(), new OfficeToggleOptions(), new NodesOptions(), new DemoOptions(), new ReplicationOptions() },
            options => Assert.Empty(Problems(options)));
    }

    public static TheoryData<object, string> BadSettings() => new()
    {
        { new MasterProbeOptions { Interval = TimeSpan.Zero }, "MasterProbe:Interval is 0 ms; it must lie between 50 ms and 1 min." },
        { new MasterProbeOptions { Timeout = TimeSpan.FromSeconds(5) }, "MasterProbe:DownAfter is 3 s; it must be at least MasterProbe:Timeout (5 s): one late ping is a busy moment, not an outage." },
        { new OfficeToggleOptions { PollInterval = TimeSpan.FromMilliseconds(1) }, "OfficeToggles:PollInterval is 1 ms; it must lie between 50 ms and 1 min." },
        { new OfficeToggleOptions { IdleInterval = TimeSpan.FromDays(1) }, "OfficeToggles:IdleInterval is 24 h; it must lie between 50 ms and 1 h." },
        { new OfficeToggleOptions { RoundTimeout = TimeSpan.FromMilliseconds(500) }, "OfficeToggles:RoundTimeout is 500 ms; it must be at least OfficeToggles:NodeTimeout (1 s): a round waits for its slowest node." },
        { new NodesOptions { MasterPort = 70000 }, "Nodes:MasterPort must be a TCP port (1-65535)." },
        { new NodesOptions { ReplicationUser = "" }, "Nodes:ReplicationUser must name the master's replication account." },
        { new NodesOptions { MaxLag = TimeSpan.Zero }, "Nodes:MaxLag is 0 ms; it must lie between 100 ms and 24 h." },
        { new DemoOptions { Password = "short" }, "Demo:Password must have at least 12 characters, as every portal password does." },
        { new ReplicationOptions { QueryTimeout = TimeSpan.FromMinutes(5) }, "Replication:QueryTimeout is 5 min; it must lie between 100 ms and 1 min." },
        { new ReplicationOptions { SlowThreshold = TimeSpan.FromSeconds(20) }, "Replication:SlowThreshold is 20 s; it must lie between 10 ms and 10 s." },
        { new ReplicationOptions { Replicas = [new ReplicaEndpoint { Name = "replica1", Port = 0 }] }, "Replication:Replicas:0 needs a Name, a Host and a Port (1-65535); it has \"replica1\", \"127.0.0.1\", 0." },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_is_named_with_the_range_it_must_lie_in(object options, string problem)
    {
        Assert.Equal([problem], Problems(options));
    }
}
