namespace Portal.Asterisk.Dialplan;

/// <summary>
/// The arguments in an <c>appdata</c> value of the classic realtime <c>extensions</c> table, where
/// <c>|</c> separates them (Asterisk 1.2/1.4 natively, 1.6-11 through <c>[compat] pbx_realtime=1.4</c>).
/// </summary>
public static class AppdataArguments
{
    public const char Separator = '|';

    /// <summary>
    /// The arguments as the application gets them. A <c>|</c> separates arguments only at the top level:
    /// inside <c>$[ ]</c> it is the logical OR (the compat code leaves it alone); inside parentheses it
    /// separates a function's arguments, and Asterisk substitutes <c>${FUNC(a|b)}</c> before the
    /// application splits its own arguments; quoted or backslash-escaped it is text. The arguments keep
    /// their quotes and backslashes, as they appear in the column. Empty appdata is no argument at all.
    /// </summary>
    public static IReadOnlyList<string> Split(string appdata)
    {
        if (appdata.Length == 0)
        {
            return [];
        }

        var arguments = new List<string>();
        var start = 0;
        foreach (var c in AppdataScanner.Scan(appdata))
        {
            if (IsArgumentSeparator(c))
            {
                arguments.Add(appdata[start..c.Position]);
                start = c.Position + 1;
            }
        }

        arguments.Add(appdata[start..]);
        return arguments;
    }

    /// <summary>The appdata for these arguments; an argument that itself holds a top-level <c>|</c> would
    /// come back split, so escape such a pipe (<c>\|</c>) first.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(Separator, arguments);

    private static bool IsArgumentSeparator(AppdataChar c) =>
        c.Value == Separator && !c.IsLiteral && !c.InExpression && c.ParenDepth == 0;
}
