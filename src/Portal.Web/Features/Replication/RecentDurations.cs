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

    /// <summary>The duration at or below which the share <paramref name="p"/> of the sorted window lies (nearest rank).</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
