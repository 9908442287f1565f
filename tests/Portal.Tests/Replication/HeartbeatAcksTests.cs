using System.Diagnostics;
using Portal.Web.Features.Replication;

namespace Portal.Tests.Replication;

public class HeartbeatAcksTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    private static long At(double seconds) => (long)(seconds * Stopwatch.Frequency);

    /// <summary>Writes every 100 ms from t = 1 s: seq n acknowledged at 1 + (n - 1) / 10 s.</summary>
    private static HeartbeatAcks Every100Ms(int writes, int capacity = 1000)
    {
        var acks = new HeartbeatAcks(capacity);
        for (var seq = 1; seq <= writes; seq++)
        {
            acks.Record(seq, At(1 + (seq - 1) / 10.0));
        }
        return acks;
    }

    [Fact]
    public void A_replica_with_the_latest_write_has_no_lag()
    {
        var acks = Every100Ms(50);

        Assert.Equal(TimeSpan.Zero, acks.LagOf(50, At(9)));
        // It may even be ahead: applied before the master's acknowledgement reached the portal.
        Assert.Equal(TimeSpan.Zero, acks.LagOf(51, At(9)));
    }

    [Fact]
    public void Lag_is_the_age_of_the_oldest_acknowledged_write_the_replica_lacks()
    {
        var acks = Every100Ms(50);

        // Seq 20 applied; seq 21 was acknowledged at 3.0 s; at 5.5 s the replica is 2.5 s behind.
        Assert.Equal(2.5, acks.LagOf(20, At(5.5)).TotalSeconds, 6);
        // And the newest write it has was acknowledged at 2.9 s: the lag lies between 2.5 and 2.6 s.
        Assert.Equal(2.6, acks.AgeOf(20, At(5.5))!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void A_replica_without_any_heartbeat_lags_since_the_first_write()
    {
        var acks = Every100Ms(50);

        Assert.Equal(4, acks.LagOf(0, At(5)).TotalSeconds, 6);
        Assert.Null(acks.AgeOf(0, At(5)));
    }

    [Fact]
    public void Failed_writes_leave_gaps_and_the_next_acknowledged_one_counts()
    {
        var acks = new HeartbeatAcks(100);
        acks.Record(1, At(1));
        acks.Record(2, At(1.1));
        // Seqs 3 and 4 failed (never acknowledged); 5 succeeded at 1.5 s.
        acks.Record(5, At(1.5));

        Assert.Equal(1.5, acks.LagOf(2, At(3)).TotalSeconds, 6);
        Assert.Equal(1.5, acks.LagOf(3, At(3)).TotalSeconds, 6);
        Assert.Null(acks.AgeOf(3, At(3)));
    }

    [Fact]
    public void Beyond_the_ring_the_lag_is_at_least_the_oldest_retained_write()
    {
        var acks = Every100Ms(500, capacity: 100);

        // Seqs 401-500 are retained; the oldest (401) was acknowledged at 41 s, seq 451 at 46 s.
        Assert.Equal(19, acks.LagOf(10, At(60)).TotalSeconds, 6);
        Assert.Equal(14, acks.LagOf(450, At(60)).TotalSeconds, 6);
        Assert.Null(acks.AgeOf(10, At(60)));
    }

    [Fact]
    public void Nothing_acknowledged_means_no_lag()
    {
        Assert.Equal(TimeSpan.Zero, new HeartbeatAcks(10).LagOf(0, At(5)));
    }

    [Fact]
    public void A_stalled_replica_is_estimated_midway_between_its_bounds()
    {
        var acks = Every100Ms(50);

        // Seq 20 (2.9 s) applied, seq 21 (3.0 s) not: at 5.5 s the lag lies between 2.5 and 2.6 s; shown as 2.55 s.
        Assert.Equal(2.55, acks.EstimateOf(20, At(5.5), Interval).TotalSeconds, 6);
        // Wherever between the two acknowledgements it stopped, the estimate is off by at most half the interval.
        var estimate = acks.EstimateOf(20, At(5.5), Interval);
        Assert.True((estimate - acks.LagOf(20, At(5.5))).Duration() <= TimeSpan.FromMilliseconds(50));
        Assert.True((estimate - acks.AgeOf(20, At(5.5))!.Value).Duration() <= TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_replica_about_to_apply_the_newest_heartbeat_shows_a_moments_lag()
    {
        var acks = Every100Ms(50);

        // Seq 50 acknowledged at 5.9 s, the replica has 49: 2 ms later it is most likely applying it, not 50 ms behind.
        Assert.Equal(0.004, acks.EstimateOf(49, At(5.902), Interval).TotalSeconds, 6);
        // Missing it for half an interval, the replica is stalled: from then on the middle of the bounds.
        Assert.Equal(0.04, acks.EstimateOf(49, At(5.92), Interval).TotalSeconds, 6);
        Assert.Equal(0.1, acks.EstimateOf(49, At(5.95), Interval).TotalSeconds, 6);
        Assert.Equal(0.2, acks.EstimateOf(49, At(6.05), Interval).TotalSeconds, 6);
        Assert.Equal(TimeSpan.Zero, acks.EstimateOf(50, At(6.05), Interval));
    }

    [Fact]
    public void Without_the_applied_heartbeat_the_estimate_is_the_lower_bound()
    {
        var acks = Every100Ms(500, capacity: 100);

        Assert.Equal(19, acks.EstimateOf(10, At(60), Interval).TotalSeconds, 6);
        Assert.Equal(4, Every100Ms(50).EstimateOf(0, At(5), Interval).TotalSeconds, 6);
    }

    [Fact]
    public void A_pause_in_the_heartbeats_is_not_counted_as_lag()
    {
        var acks = new HeartbeatAcks(100);
        acks.Record(1, At(1));
        // The writer was starved for two seconds: seq 2 was acknowledged at 3 s, and the replica stopped before it.
        acks.Record(2, At(3));

        // Between 1 and 3 s behind at 4 s, but nothing was there to apply before 3 s: half an interval over the bound.
        Assert.Equal(1.05, acks.EstimateOf(1, At(4), Interval).TotalSeconds, 6);
    }
}
