using System.Diagnostics;
using Portal.Web.Features.Replication;

namespace Portal.Tests.Replication;

public class LagHistoryTests
{
    private static long At(double seconds) => (long)(seconds * Stopwatch.Frequency);

    [Fact]
    public void Each_slice_shows_its_worst_lag_so_a_short_stall_survives()
    {
        var history = new LagHistory(TimeSpan.FromMinutes(15), TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < 600; i++)
        {
            // One minute of samples; a 3 s stall peaking at 2.9 s around t = 30 s.
            var t = i / 10.0;
            history.Add(At(1000 + t), TimeSpan.FromSeconds(t is >= 27 and < 30 ? t - 27 : 0));
        }
        history.Add(At(1060), TimeSpan.Zero);

        var points = history.Points(TimeSpan.FromMinutes(1), 20, At(1060));

        Assert.Equal(20, points.Count);
        Assert.Equal(2.9, points.Max(p => p.Lag!.Value.TotalSeconds), 6);
        Assert.Equal(1, points.Count(p => p.Lag > TimeSpan.FromSeconds(2)));
        Assert.True(points.Zip(points.Skip(1)).All(pair => pair.First.Ago > pair.Second.Ago), "oldest first");
        Assert.Equal(2.9, history.Max(TimeSpan.FromMinutes(1), At(1060)).TotalSeconds, 6);
    }

    [Fact]
    public void Unanswered_polls_are_gaps_and_old_samples_fall_out_of_the_window()
    {
        var history = new LagHistory(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1));
        for (var t = 0; t < 120; t++)
        {
            history.Add(At(t), t is >= 100 and < 110 ? null : TimeSpan.FromMilliseconds(t));
        }

        var points = history.Points(TimeSpan.FromSeconds(30), 30, At(119.5));

        Assert.Equal(30, points.Count);
        Assert.Equal(10, points.Count(p => p.Lag is null));
        Assert.Equal(0.119, points[^1].Lag!.Value.TotalSeconds, 6);
        Assert.Equal(0.090, points[0].Lag!.Value.TotalSeconds, 6);
    }

    [Fact]
    public void The_ring_keeps_memory_bounded_however_long_it_runs()
    {
        var history = new LagHistory(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
        for (var t = 0; t < 10_000; t++)
        {
            history.Add(At(t), TimeSpan.FromSeconds(t < 9_000 ? 100 : 1));
        }

        // Asked for far more than it keeps, it has only the last samples: the early 100 s lags are overwritten.
        Assert.Equal(1, history.Max(TimeSpan.FromHours(10), At(9_999.5)).TotalSeconds, 6);
    }
}
