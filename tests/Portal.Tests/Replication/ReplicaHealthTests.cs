using Portal.Web.Features.Replication;

namespace Portal.Tests.Replication;

public class ReplicaHealthTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(1);

    private static ReplicaStatus Status(string listing) => ReplicaStatus.Parse(RecordedStatus.Row(listing));

    [Fact]
    public void Running_threads_and_a_small_lag_are_healthy()
    {
        Assert.Equal(ReplicaState.Healthy, ReplicaHealth.Classify(Status(RecordedStatus.MariaDbReplicating), TimeSpan.FromMilliseconds(300), Threshold).State);
    }

    [Fact]
    public void A_link_that_says_yes_but_delivers_nothing_is_silently_dead_although_seconds_behind_says_zero()
    {
        var status = Status(RecordedStatus.MariaDbReplicating);
        Assert.Equal(0, status.SecondsBehindMaster);

        var (state, detail) = ReplicaHealth.Classify(status, TimeSpan.FromSeconds(1.4), Threshold);

        Assert.Equal(ReplicaState.LinkDead, state);
        Assert.Contains("silently dead", detail);
    }

    [Fact]
    public void A_backlog_in_the_relay_log_is_lagging()
    {
        Assert.Equal(ReplicaState.Lagging, ReplicaHealth.Classify(Status(RecordedStatus.MySql57Lagging), TimeSpan.FromSeconds(7), Threshold).State);
    }

    [Theory]
    [InlineData(nameof(RecordedStatus.MariaDbMasterDown), "IO thread reconnecting to the master: 2003")]
    [InlineData(nameof(RecordedStatus.MariaDbSqlError), "SQL thread stopped: 1062")]
    [InlineData(nameof(RecordedStatus.MySql80MasterDown), "IO thread reconnecting")]
    [InlineData(nameof(RecordedStatus.MySql80SqlError), "SQL thread stopped: 1062")]
    public void Stopped_or_reconnecting_threads_are_stopped_with_the_error(string recorded, string detail)
    {
        var listing = (string)typeof(RecordedStatus).GetField(recorded)!.GetValue(null)!;

        var result = ReplicaHealth.Classify(Status(listing), TimeSpan.Zero, Threshold);

        Assert.Equal(ReplicaState.Stopped, result.State);
        Assert.StartsWith(detail, result.Detail);
    }

    [Fact]
    public void A_server_with_no_replication_configured_is_stopped()
    {
        Assert.Equal(ReplicaState.Stopped, ReplicaHealth.Classify(null, TimeSpan.Zero, Threshold).State);
    }

    [Theory]
    [InlineData(0.0004, "0 ms")]
    [InlineData(0.25, "250 ms")]
    [InlineData(3.04, "3.0 s")]
    [InlineData(125, "2 min 5 s")]
    [InlineData(7300, "2 h 1 min")]
    public void Durations_read_naturally(double seconds, string text)
    {
        Assert.Equal(text, ReplicaHealth.Format(TimeSpan.FromSeconds(seconds)));
    }
}
