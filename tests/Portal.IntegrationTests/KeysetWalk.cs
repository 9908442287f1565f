using Portal.Web.Data;

namespace Portal.IntegrationTests;

/// <summary>Walks a keyset-paged list as its pager does, to compare the pages with the database's own ORDER BY.</summary>
public static class KeysetWalk
{
    /// <summary>
    /// The ids of every row, page by page forward from the first (each read past the last row of the one before),
    /// after checking that reading back from each page's first row gives the page before it.
    /// </summary>
    public static async Task<List<int>> IdsAsync<TRow>(Func<KeysetRequest, Task<IReadOnlyList<KeysetRow<TRow>>>> read, Func<TRow, int> id, int size)
    {
        var pages = new List<IReadOnlyList<KeysetRow<TRow>>>();
        KeysetCursor? seek = null;
        while (await read(new KeysetRequest(seek, false, size)) is { Count: > 0 } page)
        {
            pages.Add(page);
            seek = page[^1].Cursor;
        }
        for (var i = pages.Count - 2; i >= 0; i--)
        {
            var back = await read(new KeysetRequest(pages[i + 1][0].Cursor, true, size));
            Assert.Equal(pages[i].Select(r => id(r.Row)), back.Select(r => id(r.Row)));
        }
        return pages.SelectMany(p => p).Select(r => id(r.Row)).ToList();
    }
}
