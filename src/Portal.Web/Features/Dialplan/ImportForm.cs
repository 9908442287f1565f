using Portal.Asterisk;
using Portal.Asterisk.Dialplan;

namespace Portal.Web.Features.Dialplan;

/// <summary>An extensions.conf to import.</summary>
public sealed class ImportForm
{
    public string Text { get; set; } = "";

    /// <summary>Contexts of the file that exist already lose their rows to the file's; otherwise they refuse the import.</summary>
    public bool ReplaceExisting { get; set; }

    /// <summary>The tenant that new contexts of the file are added to.</summary>
    public string? TenantKey { get; set; }
}

/// <param name="ExistingRows">Rows the context has in the table now.</param>
public sealed record ImportContext(string Context, int Rows, int ExistingRows);

/// <summary>What an import would write, and whether it may: the preview and the import itself both make it.</summary>
/// <param name="Notes">The parser's notes, by line of the file.</param>
public sealed record ImportPlan(IReadOnlyList<ExtensionRow> Rows, IReadOnlyList<ImportContext> Contexts, IReadOnlyList<ImportNote> Notes, DialplanCheck Check)
{
    public bool CanImport => Rows.Count > 0 && Check.Errors.Count == 0 && Notes.All(n => n.Severity != Severity.Error);

    public IEnumerable<string> NewContexts => Contexts.Where(c => c.ExistingRows == 0).Select(c => c.Context);
}
