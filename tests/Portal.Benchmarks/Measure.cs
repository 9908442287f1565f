using System.Diagnostics;

namespace Portal.Benchmarks;

/// <summary>min, median and p95 of repeated runs, in milliseconds.</summary>
public sealed record Figures(double Min, double Median, double P95)
{
    public static Figures Of(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new Figures(sorted[0], Percentile(sorted, 0.5), Percentile(sorted, 0.95));
    }

    public static double Percentile(double[] sorted, double p)
    {
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public override string ToString() => $"{Min,8:0.00} {Median,8:0.00} {P95,8:0.00}";
}

public static class Measure
{
    /// <summary>Like the other overload, for an action that times the part that counts itself (in ms).</summary>
    public static async Task<Figures> TimeAsync(Func<Task<double>> action, int runs, int warmup = 3)
    {
        for (var i = 0; i < warmup; i++)
        {
            await action();
        }
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            samples.Add(await action());
        }
        return Figures.Of(samples);
    }

    /// <summary>Runs the action a few times to warm up, then <paramref name="runs"/> times, timing each.</summary>
    public static async Task<Figures> TimeAsync(Func<Task> action, int runs = 20, int warmup = 3)
    {
        for (var i = 0; i < warmup; i++)
        {
            await action();
        }
        var samples = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await action();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return Figures.Of(samples);
    }
}
