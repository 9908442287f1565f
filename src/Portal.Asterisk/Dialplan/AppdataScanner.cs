namespace Portal.Asterisk.Dialplan;

/// <summary>One character of appdata and what surrounds it.</summary>
/// <param name="Escaped">Preceded by a backslash: a literal, never a separator.</param>
/// <param name="InQuotes">Inside double quotes: a literal for the application's own argument splitter.</param>
/// <param name="InExpression">Inside <c>$[ ]</c>, where <c>|</c> is the logical OR.</param>
/// <param name="ParenDepth">Open parentheses (function calls, nested app calls) around the character.</param>
internal readonly record struct AppdataChar(
    int Position, char Value, bool Escaped, bool InQuotes, bool InExpression, int ParenDepth)
{
    public bool IsLiteral => Escaped || InQuotes;
}

/// <summary>
/// The one walk over appdata that splitting, the pipe rule and extensions.conf conversion share, so the
/// three can never disagree about what a <c>|</c> or a <c>,</c> means.
/// </summary>
internal static class AppdataScanner
{
    public static IEnumerable<AppdataChar> Scan(string appdata)
    {
        var escaped = false;
        var inQuotes = false;
        var expressionDepth = 0;
        var parenDepth = 0;
        for (var i = 0; i < appdata.Length; i++)
        {
            var c = appdata[i];
            // Asterisk 1.6-11's compat code (pbx_realtime.c, realtime_exec with [compat] pbx_realtime=1.4)
            // counts "$[" up and any "]" down, ignoring quotes and backslashes; we count the same way so a
            // "|" it leaves alone is the one we call an OR.
            var opensExpression = c == '[' && i > 0 && appdata[i - 1] == '$';
            var inExpression = expressionDepth > 0 || opensExpression;
            yield return new AppdataChar(i, c, escaped, inQuotes, inExpression, parenDepth);

            if (opensExpression)
            {
                expressionDepth++;
            }
            else if (c == ']' && expressionDepth > 0)
            {
                expressionDepth--;
            }

            if (escaped)
            {
                escaped = false;
                continue;
            }

            // Parentheses, quotes and backslashes as ast_app_separate_args (main/app.c) treats them: a
            // backslash makes the next character literal, quotes toggle, parentheses nest even inside quotes.
            switch (c)
            {
                case '\\':
                    escaped = true;
                    break;
                case '"':
                    inQuotes = !inQuotes;
                    break;
                case '(':
                    parenDepth++;
                    break;
                case ')' when parenDepth > 0:
                    parenDepth--;
                    break;
            }
        }
    }
}
