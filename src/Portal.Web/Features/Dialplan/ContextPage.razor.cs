using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Portal.Asterisk.Nodes;
using Portal.Web.Components.Shared;
using Portal.Web.Data;

namespace Portal.Web.Features.Dialplan;

/// <summary>One context: its extensions a page at a time, each with its steps in priority order, and for
/// operators every edit of them. Tenant admins see their own contexts, read-only.</summary>
public sealed partial class ContextPage
{
    private const int PageSize = 25;

    private enum Confirm
    {
        Rename,
        Delete,
    }

    [Parameter]
    public string Name { get; set; } = "";

    /// <summary>Start the list at these extensions (a link from the search).</summary>
    [SupplyParameterFromQuery(Name = "exten")]
    public string? ExtenQuery { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [Inject]
    private DialplanQueries Queries { get; set; } = default!;

    [Inject]
    private DialplanCommands Commands { get; set; } = default!;

    [Inject]
    private ContextNameFormValidator Names { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    private static readonly DialogOptions dialogOptions = new() { MaxWidth = MaxWidth.Small, FullWidth = true };
    private static readonly DialogOptions wideDialog = new() { MaxWidth = MaxWidth.Large, FullWidth = true };

    private Caller? caller;
    private ContextView? view;

    // A tenant admin's context that is not theirs: said as such, whether or not it exists, so that neither the
    // wording nor the page tells them which names other tenants use.
    private bool notYours;
    private IReadOnlySet<string>? flagKeys;
    private AsteriskFamily? family;
    private string? extenPrefix;
    private int page;
    private WriteResult? result;
    private IReadOnlyList<string> stanzaFor = [];
    private List<BreadcrumbItem> breadcrumbs = [];

    private bool copyVisible;
    private string copyFrom = "";
    private ContextNameForm copyTarget = new();
    private MudForm copyForm = default!;

    private bool confirmVisible;
    private Confirm confirm;
    private ContextImpact? impact;
    private ContextNameForm renameTarget = new();
    private MudForm? renameForm;

    private bool exportVisible;
    private string exported = "";

    /// <summary>
    /// The first page read while prerendering, so that the interactive render shows it at once: reading it again left
    /// a progress bar where the prerendered extensions were, for as long as the context's checks took.
    /// </summary>
    [PersistentState]
    public ContextFirstPage? FirstPage
    {
        // Only a context read: a refused one reads again, so that the interactive page says why it shows nothing.
        get => view is { Exists: true } && page == 0 ? new(view, extenPrefix) : null;
        set => restored = value;
    }

    private ContextFirstPage? restored;

    /// <summary>The icons of the extensions' and steps' actions, drawn once above them.</summary>
    private static readonly MarkupString ActionIcons = PlainActions.IconSet(
        ("ctx-add", Icons.Material.Filled.Add),
        ("ctx-copy", Icons.Material.Filled.ContentCopy),
        ("ctx-renumber", Icons.Material.Filled.FormatListNumbered),
        ("ctx-edit", Icons.Material.Filled.Edit),
        ("ctx-up", Icons.Material.Filled.ArrowUpward),
        ("ctx-down", Icons.Material.Filled.ArrowDownward),
        ("ctx-delete", Icons.Material.Filled.Delete));

    private int Pages => view is null ? 0 : (view.ExtensionCount + PageSize - 1) / PageSize;

    private string ExportDownload => "data:text/plain;charset=utf-8;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(exported));

    protected override async Task OnParametersSetAsync()
    {
        caller ??= Caller.From((await AuthenticationState).User);
        breadcrumbs = [new("Dialplan", "dialplan"), new(Name, null, disabled: true)];
        extenPrefix = ExtenQuery;
        page = 0;
        flagKeys = null;
        if (restored is { } first && first.View.Context == Name && first.ExtenPrefix == extenPrefix)
        {
            (view, restored) = (first.View, null);
            return;
        }
        restored = null;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        notYours = false;
        if (!await Snackbar.RunAsync(async () =>
        {
            try
            {
                view = await Queries.ContextAsync(caller!, Name, extenPrefix, page, PageSize, CancellationToken.None);
            }
            catch (AccessDeniedException)
            {
                notYours = true;
                throw;
            }
        }))
        {
            view = new ContextView(Name, null, false, 0, []);
        }
    }

    private async Task FilterAsync(string? prefix)
    {
        (extenPrefix, page) = (prefix, 0);
        await LoadAsync();
    }

    private async Task GoToPageAsync(int selected)
    {
        page = selected - 1;
        await LoadAsync();
    }

    /// <summary>Runs a write, then shows where it is live and the page as it is now.</summary>
    private async Task WriteAsync(Func<Task<WriteResult>> write)
    {
        WriteResult? written = null;
        if (await Snackbar.RunAsync(async () => written = await write()))
        {
            (result, stanzaFor) = (written, []);
            await LoadAsync();
        }
    }

    private async Task AddStepAsync(ExtensionView? extension)
    {
        var form = new StepForm
        {
            Context = Name,
            Exten = extension?.Exten ?? "",
            Priority = extension is null ? 1 : extension.Steps.Max(s => s.Step.Priority) + 1,
        };
        await OpenStepAsync(form, null);
    }

    private Task EditStepAsync(StepRow step) => OpenStepAsync(StepForm.From(step.ToRow()), step.Id);

    private async Task OpenStepAsync(StepForm form, int? id)
    {
        // Every tenant key, for the dialog's flag-row hint: read when a dialog opens, not with every page of steps.
        flagKeys ??= await Queries.FlagKeysAsync(CancellationToken.None);
        family ??= await Queries.FamilyAsync(CancellationToken.None);
        var parameters = new DialogParameters<StepDialog>
        {
            { d => d.Form, form },
            { d => d.Id, id },
            { d => d.Caller, caller! },
            { d => d.FlagKeys, flagKeys },
            { d => d.Family, family },
        };
        var dialog = await Dialogs.ShowAsync<StepDialog>(null, parameters, new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true });
        if (await dialog.Result is { Canceled: false } closed)
        {
            if (closed.Data is WriteResult written)
            {
                (result, stanzaFor) = (written, []);
            }
            await LoadAsync();
        }
    }

    private Task MoveAsync(StepRow step, int direction) => WriteAsync(() => Commands.MoveStepAsync(caller!, step.Id, direction, CancellationToken.None));

    private Task RenumberAsync(string exten) => WriteAsync(() => Commands.RenumberAsync(caller!, Name, exten, CancellationToken.None));

    private async Task DeleteStepAsync(StepRow step)
    {
        var sure = await Dialogs.ShowMessageBoxAsync(
            $"Delete {step.Exten}, priority {step.Priority}?",
            $"{step.App}({step.Appdata}) goes. A gap it leaves stops calls there; renumber the extension to close it.",
            yesText: "Delete", cancelText: "Cancel");
        if (sure == true)
        {
            await WriteAsync(() => Commands.DeleteStepAsync(caller!, step.Id, CancellationToken.None));
        }
    }

    private void OpenCopy(string exten)
    {
        (copyFrom, copyTarget, copyVisible) = (exten, new ContextNameForm { Context = Name, Exten = "" }, true);
    }

    private async Task CopyAsync()
    {
        await copyForm.ValidateAsync();
        if (copyForm.IsValid)
        {
            copyVisible = false;
            await WriteAsync(() => Commands.CopyExtensionAsync(caller!, Name, copyFrom, copyTarget, CancellationToken.None));
        }
    }

    private async Task OpenConfirmAsync(Confirm what)
    {
        (confirm, impact, renameTarget, confirmVisible) = (what, null, new ContextNameForm(), true);
        await Snackbar.RunAsync(async () => impact = await Queries.ImpactAsync(caller!, Name, CancellationToken.None));
    }

    private async Task ConfirmAsync()
    {
        if (confirm == Confirm.Delete)
        {
            confirmVisible = false;
            await WriteAsync(() => Commands.DeleteContextAsync(caller!, Name, CancellationToken.None));
            return;
        }
        await renameForm!.ValidateAsync();
        if (!renameForm.IsValid)
        {
            return;
        }
        WriteResult? written = null;
        if (await Snackbar.RunAsync(async () => written = await Commands.RenameContextAsync(caller!, Name, renameTarget, CancellationToken.None)))
        {
            confirmVisible = false;
            (result, stanzaFor) = (written, [renameTarget.Context]);
            Navigation.NavigateTo(DialplanPage.ContextLink(renameTarget.Context), replace: true);
        }
    }

    private string TenantEffect(ContextImpact what)
    {
        if (what.MailboxesUseName)
        {
            return confirm == Confirm.Delete
                ? $"Tenant {what.Tenant} keeps {Name} in its list: voicemail boxes live in a voicemail context of that name."
                : $"Tenant {what.Tenant} gets the new name and keeps {Name} too: voicemail boxes live in a voicemail context of that name.";
        }
        return confirm == Confirm.Delete
            ? $"{Name} leaves the list of contexts of tenant {what.Tenant}."
            : $"The list of contexts of tenant {what.Tenant} follows the new name.";
    }

    private async Task ExportAsync()
    {
        if (await Snackbar.RunAsync(async () => exported = await Queries.ExportAsync(caller!, Name, CancellationToken.None)))
        {
            exportVisible = true;
        }
    }
}

/// <summary>What <see cref="ContextPage"/> persists from prerendering: the page on screen and the flag keys its checks used.</summary>
public sealed record ContextFirstPage(ContextView View, string? ExtenPrefix);
