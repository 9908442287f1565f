using System.Diagnostics;

namespace Portal.Web.Features.Replication;

/// <summary>One point of a lag chart: the worst lag seen in a slice of time; null where the replica gave no answer.</summary>
public readonly record struct LagPoint(TimeSpan Ago, TimeSpan? Lag);

/// <summary>
/// A replica's heartbeat lag over the last minutes, one sample per poll, in a fixed ring: memory stays bounded
/// however long the portal runs (15 min at 100 ms is 9,000 samples, about 140 KB).
/// </summary>
public sealed class LagHistory(TimeSpan span, TimeSpan sampleInterval)
{
    private readonly int capacity = (int)Math.Ceiling(span / sampleInterval) + 16;
    private readonly Lock gate = new();
    private long[] at = [];
    private double[] lagSeconds = [];
    private long count;

    public TimeSpan Span { get; } = span;

    /// <summary>Adds a sample; a null lag marks the replica as not answering then.</summary>
    public void Add(long timestamp, TimeSpan? lag)
    {
        lock (gate)
        {
            if (at.Length == 0)
            {
                at = new long[capacity];
                lagSeconds = new double[capacity];
            }
            var slot = (int)(count % capacity);
            at[slot] = timestamp;
            lagSeconds[slot] = lag?.TotalSeconds ?? double.NaN;
            count++;
        }
    }

    /// <summary>The largest lag in the last <paramref name="window"/> (unanswered samples ignored).</summary>
    public TimeSpan Max(TimeSpan window, long now) =>
        TimeSpan.FromSeconds(Points(window, 1, now).Select(p => p.Lag?.TotalSeconds ?? 0).DefaultIfEmpty(0).Max());

    /// <summary>
    /// The last <paramref name="window"/> in <paramref name="buckets"/> equal slices, oldest first, each the worst lag
    /// in its slice, so a short spike survives however wide the slice. Slices without samples are left out.
    /// </summary>
    public IReadOnlyList<LagPoint> Points(TimeSpan window, int buckets, long now)
    {
        var worst = new double?[buckets];
        var seen = new bool[buckets];
        var slice = window / buckets;
        lock (gate)
        {
            var retained = (int)Math.Min(count, capacity);
            for (var i = 0; i < retained; i++)
            {
                var slot = (int)((count - 1 - i) % capacity);
                var ago = Stopwatch.GetElapsedTime(at[slot], now);
                if (ago >= window)
                {
                    break;
                }
                var bucket = buckets - 1 - (int)(ago / slice);
                seen[bucket] = true;
                if (!double.IsNaN(lagSeconds[slot]))
                {
                    worst[bucket] = Math.Max(worst[bucket] ?? 0, lagSeconds[slot]);
                }
            }
        }
        var points = new List<LagPoint>(buckets);
        for (var b = 0; b < buckets; b++)
        {
            if (seen[b])
            {
                points.Add(new LagPoint(slice * (buckets - b - 0.5), worst[b] is { } lag ? TimeSpan.FromSeconds(lag) : null));
            }
        }
        return points;
    }
}
