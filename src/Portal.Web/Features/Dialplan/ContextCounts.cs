using System.Collections.Concurrent;
using Portal.Web.Data;

namespace Portal.Web.Features.Dialplan;

/// <summary>
/// The contexts pager's total where the database does not keep it (a classic asteriskdb whose operator has not
/// applied the schema check's <see cref="DialplanContextCount"/>), kept briefly per filter. Counting ten thousand
/// contexts is then a loose scan of the primary key, one index dive per context (about 20 ms), while the page of
/// contexts itself takes a few: every visit to the dialplan page would pay it again for the same number. A count is kept until the next write through
/// this portal's write path (<see cref="MasterWriter.Changes"/>, which every dialplan change goes through) and at
/// most <see cref="Lifetime"/>, which bounds how long a change made elsewhere (another portal instance, a database
/// client) can go unseen in the total. The rows of a page are always read fresh.
/// </summary>
public sealed class ContextCounts(MasterWriter writer, TimeProvider clock)
{
    /// <summary>Filters remembered at most; past it the memory starts over.</summary>
    public const int MaxFilters = 1_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(30);

    /// <param name="prefix">The filter; the database compares context names without case, and so does the memory.</param>
    /// <param name="count">The count itself, run when nothing valid is kept.</param>
    public async Task<int> GetAsync(string? prefix, Func<CancellationToken, Task<int>> count, CancellationToken ct)
    {
        var key = prefix ?? "";
        // Both read before counting: a write that commits meanwhile makes the new entry stale at once.
        var changes = writer.Changes;
        var now = clock.GetTimestamp();
        if (entries.TryGetValue(key, out var kept) && kept.Changes == changes && clock.GetElapsedTime(kept.At, now) < Lifetime)
        {
            return kept.Count;
        }
        var counted = await count(ct);
        if (entries.Count >= MaxFilters)
        {
            entries.Clear();
        }
        entries[key] = new Entry(changes, now, counted);
        return counted;
    }

    private sealed record Entry(long Changes, long At, int Count);
}
