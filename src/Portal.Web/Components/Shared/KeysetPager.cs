using MudBlazor;
using Portal.Web.Data;

namespace Portal.Web.Components.Shared;

/// <summary>
/// Keyset paging for a <c>MudDataGrid</c> with <c>ServerData</c>: remembers the page on screen, so the next, previous or
/// same page is a seek from its edge rows and the last is read backwards from the end; only a jump the pager does not
/// offer (none today) falls back to OFFSET. The total is counted (capped) once per filter and sort, not on every page.
/// <see cref="KeysetPagerBar{T}"/> shows it under the grid.
/// </summary>
public sealed class KeysetPager<TRow>(int pageSize)
{
    private sealed record Loaded(object Shape, int Index, IReadOnlyList<KeysetRow<TRow>> Rows, KeysetRequest Request, bool HasMore, GridData<TRow> Data);

    private Loaded? page;
    private KeysetSnapshot<TRow>? restored;
    private bool recount;

    public int PageSize { get; private set; } = pageSize;

    public CappedCount? Total { get; private set; }

    /// <summary>Where the list starts when a link started it at a key rather than at its beginning.</summary>
    public string? StartLabel { get; private set; }

    public bool CanGoBack => page is { Index: > 0 };

    public bool HasMore => page is { HasMore: true };

    /// <summary>The last page has a known place only when the total is exact and the list starts at its beginning.</summary>
    public bool CanGoLast => HasMore && Total is { Exact: true } && StartLabel is null;

    /// <summary>"51–100 of 1,234", "of more than 10,000", for a whole table "of about 200,000"; "1–50 from p090000, of ...".</summary>
    public string Text
    {
        get
        {
            if (page is null || Total is null || page.Rows.Count == 0)
            {
                return "";
            }
            var first = page.Index * PageSize + 1;
            var from = StartLabel is null ? "" : $" from {StartLabel},";
            return $"{first:N0}–{first + page.Rows.Count - 1:N0}{from} of {Total.Text}";
        }
    }

    /// <summary>
    /// The page on screen and its count, for <c>[PersistentState]</c>: the interactive render that follows prerendering
    /// shows the rows the prerendered HTML has, without reading them again or showing an empty grid in between.
    /// </summary>
    public KeysetSnapshot<TRow>? Snapshot
    {
        get => page is null || Total is null ? null : new(page.Index, [.. page.Rows], page.Request, page.HasMore, Total, StartLabel);
        set => restored = value;
    }

    /// <summary>
    /// Reads page <paramref name="index"/> of the list <paramref name="shape"/> describes (its filter and sort: a new
    /// shape starts over and is counted afresh).
    /// </summary>
    public Task<GridData<TRow>> LoadAsync(
        int index,
        object shape,
        Func<CancellationToken, Task<CappedCount>> count,
        Func<KeysetRequest, CancellationToken, Task<IReadOnlyList<KeysetRow<TRow>>>> read,
        CancellationToken ct) =>
        LoadAsync(index, shape, null, count, read, ct);

    /// <summary>
    /// Like the other overload, for a list that starts at <paramref name="start"/> (a link to a place deep in it) instead
    /// of its beginning. The same page of the same list again, with no <see cref="Recount"/> since, is the page on screen:
    /// MudDataGrid asks again after its first render, and that costs no read.
    /// </summary>
    public async Task<GridData<TRow>> LoadAsync(
        int index,
        object shape,
        KeysetStart? start,
        Func<CancellationToken, Task<CappedCount>> count,
        Func<KeysetRequest, CancellationToken, Task<IReadOnlyList<KeysetRow<TRow>>>> read,
        CancellationToken ct)
    {
        var list = (shape, start);
        if (restored is { } snapshot)
        {
            restored = null;
            if (snapshot.Index == index && snapshot.StartLabel == start?.Label)
            {
                (Total, StartLabel) = (snapshot.Total, snapshot.StartLabel);
                page = Keep(list, index, snapshot.Rows, snapshot.Request, snapshot.HasMore);
                return page.Data;
            }
        }
        var previous = page is not null && page.Shape.Equals(list) ? page : null;
        if (previous is not null && index == previous.Index && !recount && Total is not null)
        {
            return previous.Data;
        }
        if (previous is null || recount || Total is null)
        {
            Total = await count(ct);
            recount = false;
        }
        StartLabel = start?.Label;

        var lastIndex = Total is { Exact: true } && start is null ? (int)Math.Max(0, (Total.Count - 1) / PageSize) : -1;
        KeysetRequest request;
        if (index == 0)
        {
            request = new KeysetRequest(start?.Cursor, false, PageSize + 1);
        }
        else if (previous is { Rows.Count: > 0 } && index == previous.Index + 1)
        {
            request = new KeysetRequest(previous.Rows[^1].Cursor, false, PageSize + 1);
        }
        else if (previous is { Rows.Count: > 0 } && index == previous.Index - 1)
        {
            request = new KeysetRequest(previous.Rows[0].Cursor, true, PageSize);
        }
        else if (previous is not null && index == previous.Index)
        {
            request = previous.Request;
        }
        else if (index == lastIndex)
        {
            request = new KeysetRequest(null, true, (int)(Total!.Count - lastIndex * PageSize));
        }
        else
        {
            request = new KeysetRequest(start?.Cursor, false, PageSize + 1, index * PageSize);
        }

        var rows = await read(request, ct);
        // A forward read asks for one row more than it shows, to know whether a next page exists.
        var hasMore = request.Backward ? index != lastIndex : rows.Count > PageSize;
        if (rows.Count > PageSize)
        {
            rows = rows.Take(PageSize).ToList();
        }
        page = Keep(list, index, rows, request, hasMore);
        return page.Data;
    }

    private Loaded Keep(object list, int index, IReadOnlyList<KeysetRow<TRow>> rows, KeysetRequest request, bool hasMore)
    {
        var totalItems = Total!.Exact && StartLabel is null ? (int)Total.Count : index * PageSize + rows.Count + (hasMore ? 1 : 0);
        return new Loaded(list, index, rows, request, hasMore, new GridData<TRow> { Items = rows.Select(r => r.Row).ToList(), TotalItems = totalItems });
    }

    /// <summary>After a change to the rows: the next load counts again, and stays on its page.</summary>
    public void Recount() => recount = true;

    /// <summary>Another number of rows a page: the same list from its first page.</summary>
    public async Task ResizeAsync(MudDataGrid<TRow> grid, int size)
    {
        (PageSize, page) = (size, null);
        await grid.SetRowsPerPageAsync(size);
    }

    /// <summary>A new filter: back to the first page, counted afresh.</summary>
    public async Task StartOverAsync(MudDataGrid<TRow> grid)
    {
        page = null;
        if (grid.CurrentPage != 0)
        {
            grid.NavigateTo(Page.First);
        }
        else
        {
            await grid.ReloadServerData();
        }
    }
}

/// <summary>Where a list starts when a link starts it at a key (its cursor), and how the pager names that place.</summary>
public sealed record KeysetStart(KeysetCursor Cursor, string Label);

/// <summary>A <see cref="KeysetPager{TRow}"/>'s page, as it travels from prerendering to the interactive render.</summary>
public sealed record KeysetSnapshot<TRow>(int Index, List<KeysetRow<TRow>> Rows, KeysetRequest Request, bool HasMore, CappedCount Total, string? StartLabel);
