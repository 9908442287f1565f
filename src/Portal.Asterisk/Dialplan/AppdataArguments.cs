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

    /// <summary>
    /// The text Asterisk 1.6-11 runs for this appdata under <c>[compat] pbx_realtime=1.4</c>: realtime_exec in
    /// pbx_realtime.c writes every <c>,</c> as <c>\,</c> and every <c>|</c> as <c>,</c> except inside <c>$[ ]</c>.
    /// Quotes and backslashes protect nothing there: <c>Set(x="a|b")</c> runs as <c>x="a,b"</c>, and <c>\|</c> as
    /// <c>\,</c>. Only <c>$[ ]</c> is skipped, counted as that code counts it (see <see cref="AppdataScanner"/>).
    /// Before that, res_config_mysql has decoded the <c>^XX</c> escapes of the stored value (<c>^3B</c> is a <c>;</c>).
    /// </summary>
    public static string AsRun(string appdata)
    {
        var text = new System.Text.StringBuilder(appdata.Length);
        foreach (var c in AppdataScanner.Scan(Sip.RealtimeValue.Decode(appdata)))
        {
            if (c.Value == ',')
            {
                text.Append(@"\,");
            }
            else
            {
                text.Append(c.Value == Separator && !c.InExpression ? ',' : c.Value);
            }
        }

        return text.ToString();
    }

    /// <summary>The appdata for these arguments; an argument that itself holds a top-level <c>|</c> would
    /// come back split, so escape such a pipe (<c>\|</c>) first.</summary>
    public static string Join(IEnumerable<string> arguments) => string.Join(Separator, arguments);

    private static bool IsArgumentSeparator(AppdataChar c) =>
        c.Value == Separator && !c.IsLiteral && !c.InExpression && c.ParenDepth == 0;
}
