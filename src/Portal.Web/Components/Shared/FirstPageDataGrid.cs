using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Portal.Web.Components.Shared;

/// <summary>
/// A <c>MudDataGrid</c> with <c>ServerData</c> that reads its first page as soon as its parameters are set, before
/// the render the browser sees first. MudDataGrid reads in <c>OnAfterRenderAsync</c>, which prerendering never reaches
/// and which in a circuit waits for the browser to acknowledge the empty grid: a full load's HTML had no rows, and
/// every navigation showed an empty grid first. Read here, the rows are in the prerendered HTML (prerendering waits
/// for this task) and in the circuit's next batch. MudDataGrid still asks again after its first render:
/// <see cref="KeysetPager{TRow}"/> answers that from the page it holds, without reading twice.
/// </summary>
[CascadingTypeParameter(nameof(T))]
public sealed class FirstPageDataGrid<T> : MudDataGrid<T>
{
    private bool read;

    // Not in OnInitializedAsync: MudDataGrid reads its ParameterView after the base call returns, and a ParameterView
    // expires once the renderer moves on, so an initialisation that awaits I/O made that read throw and ended the
    // circuit (seen with 200 sessions open, when a read could not finish at once).
    public override async Task SetParametersAsync(ParameterView parameters)
    {
        await base.SetParametersAsync(parameters);
        if (!read)
        {
            read = true;
            await ReloadServerData();
        }
    }
}
