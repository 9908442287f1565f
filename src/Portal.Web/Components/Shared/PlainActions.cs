using Microsoft.AspNetCore.Components;

namespace Portal.Web.Components.Shared;

/// <summary>
/// MudButton's and MudIconButton's look for the actions repeated on every row of a long list, as plain elements: each
/// Mud button is a component or two with its icon's SVG inline, and a page of a hundred dialplan steps rendered 475 of
/// them (420 KB of HTML, in every render and every full load). A page draws its icons once with <see cref="IconSet"/> and
/// each button refers to one by id: <c>&lt;svg class="@PlainActions.Icon"&gt;&lt;use href="#id" /&gt;&lt;/svg&gt;</c>.
/// </summary>
public static class PlainActions
{
    public const string TextButton = "mud-button-root mud-button mud-button-text mud-button-text-default mud-button-text-size-small mud-ripple";

    public const string IconButton = "mud-button-root mud-icon-button mud-ripple mud-ripple-icon mud-icon-button-size-small";

    public const string ErrorIconButton = IconButton + " mud-error-text hover:mud-error-hover";

    public const string Icon = "mud-icon-root mud-svg-icon mud-icon-size-small";

    /// <summary>A hidden SVG with one symbol per icon (MudBlazor's <c>Icons</c> paths), for the buttons' <c>use</c> to refer to.</summary>
    public static MarkupString IconSet(params (string Id, string Paths)[] icons) =>
        new("<svg hidden>" + string.Concat(icons.Select(i => $"<symbol id=\"{i.Id}\" viewBox=\"0 0 24 24\">{i.Paths}</symbol>")) + "</svg>");
}
