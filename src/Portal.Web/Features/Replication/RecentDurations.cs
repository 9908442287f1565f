using System.Globalization;
using System.Text;

namespace Portal.Web.Features.Replication;

/// <summary>
/// The last <see cref="Kept"/> durations of something the portal times, in milliseconds, for quantiles over a window
/// rather than since start-up. Thread-safe.
/// </summary>
public sealed class RecentDurations(int kept)
{
    private readonly double[] recent = new double[kept];
    private readonly Lock gate = new();
    private long count;

    public int Kept => recent.Length;

    /// <summary>Every duration added since start-up, the window's and the older ones.</summary>
    public long Total
    {
        get
        {
            lock (gate)
            {
                return count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (gate)
        {
            recent[count++ % recent.Length] = milliseconds;
        }
    }

    /// <summary>The window, sorted; empty before the first.</summary>
    public double[] Sorted()
    {
        lock (gate)
        {
            return recent.Take((int)Math.Min(count, recent.Length)).Order().ToArray();
        }
    }

    /// <summary>A /metrics gauge of the window's quantiles, in seconds; the family alone before the first duration.</summary>
    public void Render(StringBuilder text, string name, string help, params double[] quantiles)
    {
        ReplicationMetrics.Family(text, name, "gauge", $"{help}: quantiles over the last {Kept} of them.");
        if (Sorted() is { Length: > 0 } sorted)
        {
            foreach (var q in quantiles)
            {
                ReplicationMetrics.Sample(text, name, [("quantile", q.ToString(CultureInfo.InvariantCulture))], Percentile(sorted, q) / 1000);
            }
        }
    }

    /// <summary>A /metrics counter of every duration added since start-up.</summary>
    public void RenderTotal(StringBuilder text, string name, string help)
    {
        ReplicationMetrics.Family(text, name, "counter", help);
        ReplicationMetrics.Sample(text, name, [], Total);
    }

    /// <summary>The duration at or below which the share <paramref name="p"/> of the sorted window lies (nearest rank).</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
