using Portal.Asterisk.Dialplan;

namespace Portal.Web.Features.Dialplan;

/// <summary>
/// A row of the realtime <c>extensions</c> table: one step of the dialplan, (context, exten, priority) → app(appdata).
/// The classic key is (context, exten, priority); EF keys on <c>id</c> so that a step can be moved or renumbered.
/// </summary>
public sealed class Extension
{
    public int Id { get; set; }
    public string Context { get; set; } = "";
    public string Exten { get; set; } = "";
    public int Priority { get; set; }
    public string App { get; set; } = "";
    public string Appdata { get; set; } = "";

    public static Extension From(ExtensionRow row) =>
        new() { Context = row.Context, Exten = row.Exten, Priority = row.Priority, App = row.App, Appdata = row.Appdata };

    public ExtensionRow ToRow() => new(Context, Exten, Priority, App, Appdata);
}
