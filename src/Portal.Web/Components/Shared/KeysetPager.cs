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
    private sealed record Loaded(object Shape, int Index, IReadOnlyList<KeysetRow<TRow>> Rows, KeysetRequest Request, bool HasMore);

    private Loaded? page;
    private bool recount;

    public int PageSize => pageSize;

    public CappedCount? Total { get; private set; }

    public bool CanGoBack => page is { Index: > 0 };

    public bool HasMore => page is { HasMore: true };

    /// <summary>The last page has a known place only when the total is exact.</summary>
    public bool CanGoLast => HasMore && Total is { Exact: true };

    /// <summary>"51–100 of 1,234", "of more than 10,000" or, for a whole table, "of about 200,000".</summary>
    public string Text
    {
        get
        {
            if (page is null || Total is null || page.Rows.Count == 0)
            {
                return "";
            }
            var first = page.Index * pageSize + 1;
            return $"{first:N0}–{first + page.Rows.Count - 1:N0} of {Total.Text}";
        }
    }

    /// <summary>
    /// Reads page <paramref name="index"/> of the list <paramref name="shape"/> describes (its filter and sort: a new
    /// shape starts over and is counted afresh).
    /// </summary>
    public async Task<GridData<TRow>> LoadAsync(
        int index,
        object shape,
        Func<CancellationToken, Task<CappedCount>> count,
        Func<KeysetRequest, CancellationToken, Task<IReadOnlyList<KeysetRow<TRow>>>> read,
        CancellationToken ct)
    {
        var previous = page is not null && page.Shape.Equals(shape) ? page : null;
        if (previous is null || recount || Total is null)
        {
            Total = await count(ct);
            recount = false;
        }

        var lastIndex = Total is { Exact: true } ? (int)Math.Max(0, (Total.Count - 1) / pageSize) : -1;
        KeysetRequest request;
        if (index == 0)
        {
            request = KeysetRequest.First(pageSize + 1);
        }
        else if (previous is { Rows.Count: > 0 } && index == previous.Index + 1)
        {
            request = new KeysetRequest(previous.Rows[^1].Cursor, false, pageSize + 1);
        }
        else if (previous is { Rows.Count: > 0 } && index == previous.Index - 1)
        {
            request = new KeysetRequest(previous.Rows[0].Cursor, true, pageSize);
        }
        else if (previous is not null && index == previous.Index)
        {
            request = previous.Request;
        }
        else if (index == lastIndex)
        {
            request = new KeysetRequest(null, true, (int)(Total!.Count - lastIndex * pageSize));
        }
        else
        {
            request = new KeysetRequest(null, false, pageSize + 1, index * pageSize);
        }

        var rows = await read(request, ct);
        // A forward read asks for one row more than it shows, to know whether a next page exists.
        var hasMore = request.Backward ? index != lastIndex : rows.Count > pageSize;
        if (rows.Count > pageSize)
        {
            rows = rows.Take(pageSize).ToList();
        }
        page = new Loaded(shape, index, rows, request, hasMore);
        var totalItems = Total.Exact ? (int)Total.Count : index * pageSize + rows.Count + (hasMore ? 1 : 0);
        return new GridData<TRow> { Items = rows.Select(r => r.Row).ToList(), TotalItems = totalItems };
    }

    /// <summary>After a change to the rows: the next load counts again, and stays on its page.</summary>
    public void Recount() => recount = true;

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
