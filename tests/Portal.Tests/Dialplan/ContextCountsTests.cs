using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;

namespace Portal.Tests.Dialplan;

public class ContextCountsTests
{
    private sealed class ManualClock : TimeProvider
    {
        public long Now { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now;

        public void Advance(TimeSpan by) => Now += by.Ticks;
    }

    private readonly ManualClock clock = new();
    private readonly MasterWriter writer = new(Options.Create(new DatabaseOptions()), new MasterState(TimeProvider.System), NullLogger<MasterWriter>.Instance);
    private int counted;

    private Task<int> CountAsync(CancellationToken ct) => Task.FromResult(++counted);

    [Fact]
    public async Task A_count_is_kept_per_filter_for_its_lifetime_then_counted_again()
    {
        var counts = new ContextCounts(writer, clock) { Lifetime = TimeSpan.FromSeconds(30) };

        Assert.Equal(1, await counts.GetAsync(null, CountAsync, default));
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, await counts.GetAsync(null, CountAsync, default));
        // Another filter is counted for itself; the database ignores case, so does the memory.
        Assert.Equal(2, await counts.GetAsync("Company", CountAsync, default));
        Assert.Equal(2, await counts.GetAsync("company", CountAsync, default));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(3, await counts.GetAsync(null, CountAsync, default));
    }

    [Fact]
    public async Task Without_a_lifetime_every_ask_counts()
    {
        var counts = new ContextCounts(writer, clock) { Lifetime = TimeSpan.Zero };

        Assert.Equal(1, await counts.GetAsync(null, CountAsync, default));
        Assert.Equal(2, await counts.GetAsync(null, CountAsync, default));
    }
}
