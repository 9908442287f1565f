using System.Text;

namespace Portal.Asterisk.Dialplan;

public enum AppdataProblemKind
{
    /// <summary>An argument comma: FixCommas turns it into a pipe.</summary>
    Comma,

    /// <summary>A quoted or backslash-escaped comma: text, not a separator, so no pipe can replace it.</summary>
    LiteralComma,

    /// <summary>A comma inside <c>$[ ]</c>, where a pipe would become a logical OR.</summary>
    CommaInExpression,

    /// <summary>A <c>;</c>: realtime drivers split stored values at it.</summary>
    Semicolon,

    /// <summary>Longer than the classic <c>appdata varchar(128)</c>.</summary>
    TooLong,

    /// <summary>A function with several arguments inside <c>$[ ]</c>, which gets them as one.</summary>
    FunctionInExpression,
}

/// <param name="Position">Zero-based index into the appdata.</param>
public sealed record AppdataProblem(AppdataProblemKind Kind, Severity Severity, int Position, string Message);

/// <param name="Appdata">The proposed value, every argument comma a pipe.</param>
/// <param name="Unfixed">The commas that could not be turned into pipes, at their positions in Appdata.</param>
public sealed record CommaFix(string Appdata, IReadOnlyList<AppdataProblem> Unfixed);

/// <summary>
/// The pipe rule of classic realtime appdata: arguments are separated by <c>|</c>, never by commas,
/// because a comma ends the field there. On Asterisk 1.6-11 the compat code even escapes every comma
/// to <c>\,</c> (pbx_realtime.c, realtime_exec), so a comma never separates anything.
/// </summary>
public static class PipeRule
{
    public const int MaxLength = 128;

    public static IReadOnlyList<AppdataProblem> Check(string appdata)
    {
        var problems = new List<AppdataProblem>();
        var chars = AppdataScanner.Scan(appdata).ToList();
        foreach (var c in chars)
        {
            if (c.Value == ',')
            {
                problems.Add(CommaProblem(c));
            }
            else if (c.Value == ';')
            {
                // res_config_mysql (and odbc, pgsql) split every column value at ';' into several
                // variables of the same name, and realtime_exec keeps the last "appdata" one.
                problems.Add(new AppdataProblem(AppdataProblemKind.Semicolon, Severity.Error, c.Position,
                    "a ';' splits the value in the realtime driver and Asterisk runs only the part after " +
                    "the last one; store it as ^3B, the escape the drivers write for chan_sip and read back as ';'"));
            }
            else if (c.Value == '$' && c.InExpression && !c.Escaped)
            {
                var call = FunctionCall.At(appdata, chars, c.Position);
                if (call is { HasSeveralArguments: true })
                {
                    problems.Add(FunctionInExpressionProblem(call, c.Position));
                }
            }
        }

        if (appdata.Length > MaxLength)
        {
            problems.Add(new AppdataProblem(AppdataProblemKind.TooLong, Severity.Warning, MaxLength,
                $"appdata is varchar({MaxLength}) in the classic schema and this value has " +
                $"{appdata.Length} characters; the database cuts or rejects the rest"));
        }

        return problems.OrderBy(p => p.Position).ToList();
    }

    /// <summary>
    /// Proposes a value with every argument comma made a pipe, at the top level and inside function
    /// calls and nested parentheses alike (the compat code turns those pipes back into commas). Two kinds
    /// of comma stay and come back in Unfixed: quoted or escaped ones, which are text and would change
    /// meaning as pipes (a quoted pipe is a pipe on 1.4 but a comma on 1.6-11), and ones inside
    /// <c>$[ ]</c>, where a pipe is a logical OR; those need rewording by a person.
    /// </summary>
    public static CommaFix FixCommas(string appdata)
    {
        var problems = Check(appdata);
        var fixedValue = new StringBuilder(appdata);
        foreach (var comma in problems.Where(p => p.Kind == AppdataProblemKind.Comma))
        {
            fixedValue[comma.Position] = AppdataArguments.Separator;
        }

        var unfixed = problems
            .Where(p => p.Kind is AppdataProblemKind.LiteralComma or AppdataProblemKind.CommaInExpression)
            .ToList();
        return new CommaFix(fixedValue.ToString(), unfixed);
    }

    private static AppdataProblem CommaProblem(AppdataChar c)
    {
        if (c.IsLiteral)
        {
            return new AppdataProblem(AppdataProblemKind.LiteralComma, Severity.Error, c.Position,
                "this comma is text (quoted or escaped), not an argument separator, and classic realtime " +
                "cannot store it because a comma ends the field; reword the value without it");
        }

        if (c.InExpression)
        {
            return new AppdataProblem(AppdataProblemKind.CommaInExpression, Severity.Error, c.Position,
                "a comma inside $[ ] ends the field, and a | there would be a logical OR; compute the " +
                "function call in a Set() in the priority before and test the variable here");
        }

        return new AppdataProblem(AppdataProblemKind.Comma, Severity.Error, c.Position,
            "a comma ends the field in classic realtime; separate arguments with |");
    }

    private static AppdataProblem FunctionInExpressionProblem(FunctionCall call, int position)
    {
        var variable = call.Name.ToLowerInvariant();
        var arguments = call.Arguments.Replace(',', AppdataArguments.Separator);
        return new AppdataProblem(AppdataProblemKind.FunctionInExpression, Severity.Warning, position,
            $"{call.Name} gets one argument here: with pbx_realtime=1.4 (Asterisk 1.6-11) the | inside " +
            "$[ ] is not converted, so the condition silently fails; compute it in the priority before " +
            $"with Set({variable}=${{{call.Name}({arguments})}}) and test ${{{variable}}}");
    }

    /// <summary>A <c>${NAME(arguments)}</c> call found in appdata.</summary>
    private sealed record FunctionCall(string Name, string Arguments, bool HasSeveralArguments)
    {
        public static FunctionCall? At(string appdata, IReadOnlyList<AppdataChar> chars, int dollar)
        {
            if (dollar + 1 >= appdata.Length || appdata[dollar + 1] != '{')
            {
                return null;
            }

            var nameStart = dollar + 2;
            var open = nameStart;
            while (open < appdata.Length && (char.IsAsciiLetterOrDigit(appdata[open]) || appdata[open] == '_'))
            {
                open++;
            }

            if (open == nameStart || open >= appdata.Length || appdata[open] != '(')
            {
                return null;
            }

            // The arguments are those at the depth just inside this call's parenthesis. Quotes do not
            // count here: Asterisk substitutes ${...} inside quoted text as anywhere else.
            var argumentDepth = chars[open].ParenDepth + 1;
            var severalArguments = false;
            for (var i = open + 1; i < chars.Count; i++)
            {
                var c = chars[i];
                if (c.Value == ')' && !c.Escaped && c.ParenDepth == argumentDepth)
                {
                    return new FunctionCall(appdata[nameStart..open], appdata[(open + 1)..i], severalArguments);
                }

                severalArguments |= c.Value is '|' or ',' && !c.Escaped && c.ParenDepth == argumentDepth;
            }

            return null;
        }
    }
}
