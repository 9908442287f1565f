using System.Text.Json;
using MudBlazor;
using Portal.Web.Components.Shared;
using Portal.Web.Data;

namespace Portal.Tests.Components;

/// <summary>What the pager asks the database for as the user pages: seeks from the page on screen, never OFFSET.</summary>
public sealed class KeysetPagerTests
{
    private const int PageSize = 3;

    /// <summary>A sorted list of ids standing in for the database: answers requests as the keyset queries do.</summary>
    private sealed class FakeList(int count)
    {
        public List<KeysetRequest> Requests { get; } = [];

        public int Counts { get; private set; }

        public Task<CappedCount> CountAsync(CancellationToken ct)
        {
            Counts++;
            return Task.FromResult(count <= Keyset.CountCap ? new CappedCount(count, true) : new CappedCount(Keyset.CountCap + 1, false));
        }

        public Task<IReadOnlyList<KeysetRow<int>>> ReadAsync(KeysetRequest request, CancellationToken ct)
        {
            Requests.Add(request);
            var ids = Enumerable.Range(1, count);
            var seek = request.Seek?.Values[0] switch
            {
                int id => id,
                JsonElement json => json.GetInt32(),
                _ => (int?)null,
            };
            var rows = request.Backward
                ? ids.Where(i => seek is null || i < seek).Reverse().Skip(request.Skip).Take(request.Take).Reverse()
                : ids.Where(i => seek is null || i > seek).Skip(request.Skip).Take(request.Take);
            return Task.FromResult<IReadOnlyList<KeysetRow<int>>>(rows.Select(i => new KeysetRow<int>(i, new KeysetCursor([i]))).ToList());
        }
    }

    private static Task<GridData<int>> Load(KeysetPager<int> pager, FakeList list, int index, object? shape = null) =>
        pager.LoadAsync(index, shape ?? "all", list.CountAsync, list.ReadAsync, CancellationToken.None);

    [Fact]
    public async Task Next_and_previous_are_seeks_from_the_page_on_screen_and_the_same_page_again_reads_nothing()
    {
        var list = new FakeList(10);
        var pager = new KeysetPager<int>(PageSize);

        Assert.Equal([1, 2, 3], (await Load(pager, list, 0)).Items);
        Assert.Equal([4, 5, 6], (await Load(pager, list, 1)).Items);
        Assert.Equal([7, 8, 9], (await Load(pager, list, 2)).Items);
        Assert.Equal([7, 8, 9], (await Load(pager, list, 2)).Items);
        Assert.Equal([4, 5, 6], (await Load(pager, list, 1)).Items);

        Assert.Equal(
            [
                KeysetRequest.First(PageSize + 1),
                new KeysetRequest(new KeysetCursor([3]), false, PageSize + 1),
                new KeysetRequest(new KeysetCursor([6]), false, PageSize + 1),
                new KeysetRequest(new KeysetCursor([7]), true, PageSize),
            ],
            list.Requests,
            new RequestComparer());
        Assert.All(list.Requests, r => Assert.Equal(0, r.Skip));
        Assert.Equal(1, list.Counts);
        Assert.Equal("4–6 of 10", pager.Text);
    }

    [Fact]
    public async Task The_last_page_is_read_backwards_from_the_end_and_has_no_next()
    {
        var list = new FakeList(10);
        var pager = new KeysetPager<int>(PageSize);
        await Load(pager, list, 0);
        Assert.True(pager.CanGoLast);

        var last = await Load(pager, list, 3);

        Assert.Equal([10], last.Items);
        Assert.Equal(10, last.TotalItems);
        Assert.Equal(new KeysetRequest(null, true, 1), list.Requests[^1]);
        Assert.False(pager.HasMore);
        Assert.True(pager.CanGoBack);
        Assert.Equal("10–10 of 10", pager.Text);
    }

    [Fact]
    public async Task Past_the_cap_the_grid_learns_of_one_more_page_at_a_time_and_there_is_no_last()
    {
        var list = new FakeList(Keyset.CountCap + 500);
        var pager = new KeysetPager<int>(PageSize);

        var first = await Load(pager, list, 0);
        var second = await Load(pager, list, 1);

        Assert.Equal(PageSize + 1, first.TotalItems);
        Assert.Equal(2 * PageSize + 1, second.TotalItems);
        Assert.True(pager.HasMore);
        Assert.False(pager.CanGoLast);
        Assert.Equal($"4–6 of more than {Keyset.CountCap:N0}", pager.Text);
    }

    [Fact]
    public async Task A_new_filter_or_a_recount_counts_again_and_a_new_filter_starts_from_its_own_first_row()
    {
        var list = new FakeList(10);
        var pager = new KeysetPager<int>(PageSize);
        await Load(pager, list, 0);
        await Load(pager, list, 1);

        pager.Recount();
        await Load(pager, list, 1);
        Assert.Equal(2, list.Counts);
        Assert.Equal(new object?[] { 3 }, list.Requests[^1].Seek!.Values);

        await Load(pager, list, 0, shape: "other filter");
        Assert.Equal(3, list.Counts);
        Assert.Null(list.Requests[^1].Seek);
    }

    [Fact]
    public async Task A_page_persisted_as_json_shows_without_a_read_and_the_next_page_seeks_from_its_cursor()
    {
        var list = new FakeList(10);
        var prerendered = new KeysetPager<int>(PageSize);
        await Load(prerendered, list, 0);
        var json = JsonSerializer.Serialize(prerendered.Snapshot);

        var interactive = new KeysetPager<int>(PageSize) { Snapshot = JsonSerializer.Deserialize<KeysetSnapshot<int>>(json) };
        var first = await Load(interactive, list, 0);

        Assert.Equal([1, 2, 3], first.Items);
        Assert.Single(list.Requests);
        Assert.Equal(1, list.Counts);
        Assert.Equal("1–3 of 10", interactive.Text);
        Assert.Equal([4, 5, 6], (await Load(interactive, list, 1)).Items);
        Assert.Equal(1, list.Counts);
    }

    [Fact]
    public async Task A_list_started_at_a_key_seeks_from_it_says_so_and_offers_no_last_page()
    {
        var list = new FakeList(10);
        var pager = new KeysetPager<int>(PageSize);
        var start = new KeysetStart(new KeysetCursor([5]), "5");

        var first = await pager.LoadAsync(0, "all", start, list.CountAsync, list.ReadAsync, CancellationToken.None);
        var second = await pager.LoadAsync(1, "all", start, list.CountAsync, list.ReadAsync, CancellationToken.None);

        Assert.Equal([6, 7, 8], first.Items);
        Assert.Equal([9, 10], second.Items);
        Assert.Equal(new KeysetRequest(new KeysetCursor([5]), false, PageSize + 1), list.Requests[0], new RequestComparer());
        Assert.Equal("4–5 from 5, of 10", pager.Text);
        Assert.False(pager.CanGoLast);
    }

    /// <summary>Cursors hold their values in a list, which records compare by reference.</summary>
    private sealed class RequestComparer : IEqualityComparer<KeysetRequest>
    {
        public bool Equals(KeysetRequest? x, KeysetRequest? y) =>
            x is not null && y is not null && x.Backward == y.Backward && x.Take == y.Take && x.Skip == y.Skip
            && (x.Seek?.Values ?? []).SequenceEqual(y.Seek?.Values ?? []);

        public int GetHashCode(KeysetRequest obj) => obj.Take;
    }
}
