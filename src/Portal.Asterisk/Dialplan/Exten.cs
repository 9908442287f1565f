namespace Portal.Asterisk.Dialplan;

/// <param name="Position">Zero-based index into the exten, where the problem starts.</param>
public sealed record ExtenProblem(Severity Severity, int Position, string Message);

/// <summary>
/// The <c>exten</c> column: a literal extension or a pattern starting with <c>_</c>. Matching follows
/// <c>_extension_match_core</c> in main/pbx.c (asterisk/asterisk), which pbx_realtime calls through
/// <c>ast_extension_match</c> for every pattern row.
/// </summary>
public static class Exten
{
    /// <summary>AST_MAX_EXTENSION: Asterisk cuts longer extensions.</summary>
    public const int MaxLength = 80;

    /// <summary>
    /// The extensions Asterisk itself jumps to: s (start), i (invalid), t (response timeout), T (absolute
    /// timeout), h (hangup), e (exception), o (operator) and a (assistant) from VoiceMail, fax (fax
    /// detection), talk (BackgroundDetect) and failed (an Originate or call file that failed).
    /// </summary>
    public static IReadOnlyList<string> SpecialNames { get; } =
        ["s", "i", "t", "T", "h", "e", "o", "a", "fax", "talk", "failed"];

    public static bool IsPattern(string exten) => exten.StartsWith('_');

    /// <summary>Errors and warnings for an exten; none means it is fine.</summary>
    public static IReadOnlyList<ExtenProblem> Validate(string exten)
    {
        if (exten.Length == 0)
        {
            return [new ExtenProblem(Severity.Error, 0, "an extension cannot be empty")];
        }

        var problems = new List<ExtenProblem>();
        if (exten.Length > MaxLength)
        {
            problems.Add(new ExtenProblem(Severity.Error, MaxLength,
                $"Asterisk keeps at most {MaxLength} characters of an extension"));
        }

        var slash = exten.IndexOf('/');
        if (slash >= 0)
        {
            // pbx_realtime.c: "The realtime table currently does not support callerid fields."
            problems.Add(new ExtenProblem(Severity.Error, slash,
                "exten/callerid matching is not supported by the realtime switch"));
            return problems;
        }

        problems.AddRange(IsPattern(exten) ? ValidatePattern(exten) : ValidateLiteral(exten));
        return problems;
    }

    /// <summary>
    /// Whether a dialed number reaches this exten. A literal matches only itself, exactly. A pattern
    /// matches by Asterisk's rules: X is 0-9, Z is 1-9, N is 2-9 (in either case), [..] is a set of
    /// characters and ranges, '.' is one or more characters, '!' is zero or more, '-' is ignored in the
    /// pattern and in the number, and any other character matches itself.
    /// </summary>
    public static bool Matches(string exten, string dialed)
    {
        if (!IsPattern(exten))
        {
            return string.Equals(exten, dialed, StringComparison.Ordinal);
        }

        var p = 1;
        var d = 0;
        while (true)
        {
            while (d < dialed.Length && dialed[d] == '-')
            {
                d++;
            }

            while (p < exten.Length && exten[p] == '-')
            {
                p++;
            }

            if (d == dialed.Length || p == exten.Length || exten[p] == '/')
            {
                break;
            }

            var digit = dialed[d];
            switch (exten[p])
            {
                case '[':
                    var end = exten.IndexOf(']', p + 1);
                    if (end < 0)
                    {
                        return false;
                    }

                    if (end == p + 1)
                    {
                        // Asterisk skips an empty set without using up a character of the number.
                        p = end + 1;
                        continue;
                    }

                    if (!SetContains(exten.AsSpan(p + 1, end - p - 1), digit))
                    {
                        return false;
                    }

                    p = end;
                    break;
                case 'n' or 'N' when digit is < '2' or > '9':
                case 'x' or 'X' when digit is < '0' or > '9':
                case 'z' or 'Z' when digit is < '1' or > '9':
                    return false;
                case 'n' or 'N' or 'x' or 'X' or 'z' or 'Z':
                    break;
                case '.' or '!':
                    // Reached with at least one character of the number left: both match the rest.
                    return true;
                default:
                    if (exten[p] != digit)
                    {
                        return false;
                    }

                    break;
            }

            d++;
            p++;
        }

        if (d < dialed.Length)
        {
            return false;
        }

        // The number ran out: a match if the pattern ended too, or only '!' (zero or more) is left.
        return p == exten.Length || exten[p] is '/' or '!';
    }

    private static bool SetContains(ReadOnlySpan<char> set, char c)
    {
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                if (c >= set[i] && c <= set[i + 2])
                {
                    return true;
                }

                i += 2;
            }
            else if (c == set[i])
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<ExtenProblem> ValidateLiteral(string exten)
    {
        if (SpecialNames.Contains(exten))
        {
            yield break;
        }

        // A name with letters is never dialed, so what a '-' in it means to a dialed number does not matter.
        var hasLetters = exten.Any(char.IsAsciiLetter);
        for (var i = 0; i < exten.Length; i++)
        {
            var c = exten[i];
            if (char.IsAsciiDigit(c) || char.IsAsciiLetter(c) || c is '*' or '#' or '+' || (c == '-' && hasLetters))
            {
                continue;
            }

            if (c == '-')
            {
                // pbx.c ignores '-' when it compares extens, but the realtime switch finds a literal
                // with SQL equality (exten = '5551234'), which does not.
                yield return new ExtenProblem(Severity.Warning, i,
                    "the realtime switch compares extensions with SQL equality, so this '-' must be " +
                    "dialed too (extensions.conf would ignore it)");
            }
            else
            {
                yield return new ExtenProblem(Severity.Error, i,
                    $"'{c}' cannot be part of an extension: use digits, *, #, + or letters");
            }
        }

        if (hasLetters)
        {
            yield return new ExtenProblem(Severity.Warning, 0,
                "a name with letters is not one of Asterisk's special extensions " +
                $"({string.Join(", ", SpecialNames)}) and cannot be dialed from a keypad; " +
                "fine only as a Goto target or a SIP URI user");
        }
    }

    private static IEnumerable<ExtenProblem> ValidatePattern(string exten)
    {
        if (exten.Length == 1)
        {
            yield return new ExtenProblem(Severity.Error, 0, "a pattern needs something after the _");
            yield break;
        }

        if (exten is "_." or "_!")
        {
            // pbx_config warns about "_." at load time: it also catches h, i, t and the other special
            // extensions, so hangups and timeouts run the catch-all.
            yield return new ExtenProblem(Severity.Warning, 1,
                $"{exten} also matches the special extensions (h, i, t, ...); use _X{exten[1]} instead");
        }

        for (var i = 1; i < exten.Length; i++)
        {
            var c = exten[i];
            switch (c)
            {
                case '[':
                    var end = exten.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        yield return new ExtenProblem(Severity.Error, i, "this [ is never closed with ]");
                        yield break;
                    }

                    foreach (var problem in ValidateSet(exten, i + 1, end))
                    {
                        yield return problem;
                    }

                    i = end;
                    break;
                case ']':
                    yield return new ExtenProblem(Severity.Error, i, "this ] closes no [");
                    break;
                case '.' or '!' when i != exten.Length - 1:
                    yield return new ExtenProblem(Severity.Error, i,
                        $"'{c}' must be the last character: Asterisk stops comparing at it");
                    break;
                case '.' or '!' or '-' or '*' or '#' or '+'
                    or 'x' or 'X' or 'z' or 'Z' or 'n' or 'N':
                    break;
                default:
                    if (!char.IsAsciiDigit(c))
                    {
                        yield return new ExtenProblem(Severity.Error, i,
                            $"'{c}' is not a pattern character: use digits, *, #, +, X, Z, N, [set], " +
                            "and . or ! at the end");
                    }

                    break;
            }
        }
    }

    private static IEnumerable<ExtenProblem> ValidateSet(string exten, int start, int end)
    {
        if (start == end)
        {
            yield return new ExtenProblem(Severity.Error, start - 1,
                "an empty set [] matches nothing (Asterisk skips it)");
            yield break;
        }

        for (var i = start; i < end; i++)
        {
            var c = exten[i];
            if (i + 2 < end && exten[i + 1] == '-')
            {
                var last = exten[i + 2];
                if (!char.IsAsciiDigit(c) || !char.IsAsciiDigit(last))
                {
                    yield return new ExtenProblem(Severity.Error, i, "a range in a set goes from digit to digit");
                }
                else if (last < c)
                {
                    yield return new ExtenProblem(Severity.Error, i,
                        $"the range {c}-{last} is reversed and matches nothing; write {last}-{c}");
                }

                i += 2;
            }
            else if (c == '-')
            {
                // Asterisk takes a '-' it cannot read as a range literally, but drops every '-' from the
                // dialed number before matching, so it never matches.
                yield return new ExtenProblem(Severity.Warning, i, "a '-' in a set never matches a dialed number");
            }
            else if (!char.IsAsciiDigit(c) && c is not ('*' or '#' or '+'))
            {
                yield return new ExtenProblem(Severity.Error, i,
                    $"'{c}' cannot be in a set: use digits, *, #, + and ranges like 1-5");
            }
        }
    }
}
