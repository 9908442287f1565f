namespace Portal.Asterisk.Dialplan;

/// <summary>One row of the classic realtime <c>extensions</c> table: one priority of one extension.</summary>
public sealed record ExtensionRow(string Context, string Exten, int Priority, string App, string Appdata)
{
    /// <summary>priority is a tinyint in the classic schema.</summary>
    public const int MaxPriority = 127;

    /// <summary>app is varchar(20) in the classic schema.</summary>
    public const int MaxAppLength = 20;
}
