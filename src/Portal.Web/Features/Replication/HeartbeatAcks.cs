using System.Diagnostics;

namespace Portal.Web.Features.Replication;

/// <summary>
/// When the master acknowledged each heartbeat write, on this process's monotonic clock (<see cref="Stopwatch"/>
/// timestamps), so lag never depends on the servers' clocks or on this machine's wall clock.
/// A replica that has applied heartbeat <c>seq</c> but not the next acknowledged one is behind by at least
/// <c>now - ack(next)</c> (and at most <c>now - ack(seq)</c>); one that has the latest is not behind at all.
/// </summary>
public sealed class HeartbeatAcks(int capacity)
{
    private readonly long[] seqs = new long[capacity];
    private readonly long[] acknowledgedAt = new long[capacity];
    private readonly Lock gate = new();
    private long count;

    public long LatestSeq { get; private set; }

    public long? LatestAckAt { get; private set; }

    /// <summary>Records an acknowledged write. Seqs only grow; a seq whose write failed is simply never recorded.</summary>
    public void Record(long seq, long timestamp)
    {
        lock (gate)
        {
            if (seq <= LatestSeq)
            {
                return;
            }
            var slot = (int)(count % capacity);
            seqs[slot] = seq;
            acknowledgedAt[slot] = timestamp;
            count++;
            LatestSeq = seq;
            LatestAckAt = timestamp;
        }
    }

    /// <summary>The least heartbeat lag a replica that has applied <paramref name="appliedSeq"/> can have, as of <paramref name="now"/>.</summary>
    public TimeSpan LagOf(long appliedSeq, long now)
    {
        lock (gate)
        {
            return FirstAckAfter(appliedSeq) is { } ack ? Elapsed(ack, now) : TimeSpan.Zero;
        }
    }

    /// <summary>
    /// The lag to show for a replica that has applied <paramref name="appliedSeq"/>, as of <paramref name="now"/>.
    /// It stopped keeping up somewhere between the acknowledgements of the newest heartbeat it has and of the first it
    /// lacks, so its lag lies between <see cref="LagOf"/> and <see cref="AgeOf"/>: the lower bound alone is short by up
    /// to a whole heartbeat interval. A replica that has missed the next heartbeat by half the gap between the two is
    /// stalled (it applies a heartbeat within milliseconds when it keeps up), and its estimate is the middle of the
    /// bounds, off by at most half an interval either way. Before that the estimate rises from the lower bound at
    /// twice its pace, so a replica caught a moment before it applies the newest heartbeat shows a moment's lag, not
    /// half an interval. A gap longer than <paramref name="interval"/> is heartbeats that were late or failed (a
    /// starved writer, a slow master), not time the replica had anything to apply, so the estimate stays within half
    /// an interval of the lower bound. Without a known upper bound it is the lower bound.
    /// </summary>
    public TimeSpan EstimateOf(long appliedSeq, long now, TimeSpan interval)
    {
        var atLeast = LagOf(appliedSeq, now);
        if (atLeast == TimeSpan.Zero || AgeOf(appliedSeq, now) is not { } atMost)
        {
            return atLeast;
        }
        var halfGap = TimeSpan.FromTicks(Math.Min((atMost - atLeast).Ticks, interval.Ticks) / 2);
        return atLeast + (atLeast < halfGap ? atLeast : halfGap);
    }

    /// <summary>How old the newest heartbeat the replica has applied is; null when that write is not (or no longer) known.</summary>
    public TimeSpan? AgeOf(long appliedSeq, long now)
    {
        lock (gate)
        {
            var slot = SlotOf(appliedSeq);
            return slot is { } s ? Elapsed(acknowledgedAt[s], now) : null;
        }
    }

    /// <summary>The acknowledgement of the first recorded seq above <paramref name="appliedSeq"/>.</summary>
    private long? FirstAckAfter(long appliedSeq)
    {
        if (count == 0 || appliedSeq >= LatestSeq)
        {
            return null;
        }
        // When even the oldest retained write is missing on the replica, its lag is at least that old.
        return acknowledgedAt[FirstSlotAtLeast(appliedSeq + 1)];
    }

    private int? SlotOf(long seq)
    {
        if (count == 0 || seq > LatestSeq)
        {
            return null;
        }
        var slot = FirstSlotAtLeast(seq);
        return seqs[slot] == seq ? slot : null;
    }

    /// <summary>The slot of the oldest retained seq that is at least <paramref name="seq"/> (the newest if none is).</summary>
    private int FirstSlotAtLeast(long seq)
    {
        var retained = (int)Math.Min(count, capacity);
        var oldest = (int)((count - retained) % capacity);
        // Entries are in seq order around the ring: binary search over their positions from the oldest.
        int lo = 0, hi = retained - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (seqs[(oldest + mid) % capacity] >= seq)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return (oldest + lo) % capacity;
    }

    private static TimeSpan Elapsed(long from, long to) => to <= from ? TimeSpan.Zero : Stopwatch.GetElapsedTime(from, to);
}
