using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Portal.Web.Components.Shared;

/// <summary>
/// A <c>MudDataGrid</c> with <c>ServerData</c> that reads its first page before its first render. MudDataGrid reads
/// in <c>OnAfterRenderAsync</c>, which prerendering never reaches and which in a circuit waits for the browser to
/// acknowledge the empty grid: a full load's HTML had no rows, and every navigation showed an empty grid first. Read
/// here, the rows are in the prerendered HTML and in the first render. MudDataGrid still asks again after that render:
/// <see cref="KeysetPager{TRow}"/> answers that from the page it holds, without reading twice.
/// </summary>
[CascadingTypeParameter(nameof(T))]
public sealed class FirstPageDataGrid<T> : MudDataGrid<T>
{
    protected override async Task OnInitializedAsync()
    {
        await base.OnInitializedAsync();
        await ReloadServerData();
    }
}
