using FsCheck;
using FsCheck.Fluent;

namespace Portal.Tests.Asterisk.Dialplan;

/// <summary>Generators of dialplan values for the property tests.</summary>
internal static class DialplanGen
{
    private static Gen<string> Text(string alphabet, int maxLength) =>
        from length in Gen.Choose(0, maxLength)
        from chars in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        select new string(chars);

    /// <summary>An argument with no pipe, comma, quote, backslash, parenthesis or $[: nothing that
    /// protects or separates.</summary>
    public static Gen<string> PlainArgument { get; } = Text("abcXYZ019 =/&@-_.:{}#*+", 12);

    /// <summary>Appdata as an author might write it with commas: plain words, function calls with comma
    /// arguments, quoted text and expressions, joined by argument commas.</summary>
    public static Gen<string> AppdataWithCommas { get; } =
        Gen.ListOf(Gen.OneOf(
                PlainArgument,
                PlainArgument.Select(a => $"${{CUT({a},-,1)}}"),
                PlainArgument.Select(a => $"\"{a},{a}\""),
                PlainArgument.Select(a => $"$[${{{a}}} = 1 | ${{B}} = 2]"),
                PlainArgument.Select(a => $"x=$[{a},1]"),
                PlainArgument.Select(a => $"({a},({a},{a}))")))
            .Select(parts => string.Join(',', parts));

    /// <summary>Valid classic appdata: pipes between arguments, quoted pipes, expressions with OR.</summary>
    public static Gen<string> PipeAppdata { get; } =
        Gen.ListOf(Gen.OneOf(
                PlainArgument,
                PlainArgument.Select(a => $"${{CUT({a}|-|1)}}"),
                PlainArgument.Select(a => $"\"{a}|{a}\""),
                PlainArgument.Select(a => $"$[${{{a}}} = 1 | ${{B}} = 2]"),
                PlainArgument.Select(a => $"\\|{a}")))
            .Select(parts => string.Join('|', parts));

    /// <summary>A pattern that Exten.Validate accepts, built from one token per dialed character and an
    /// optional '.' or '!' at the end.</summary>
    public static Gen<string> Pattern { get; } =
        from count in Gen.Choose(1, 12)
        from tokens in Gen.ArrayOf(Gen.Elements("0", "5", "9", "*", "#", "X", "Z", "N", "x", "n", "-", "[1-5]", "[13-5]", "[0-9*]", "[#7]"), count)
        from end in Gen.Elements("", ".", "!")
        select "_" + string.Concat(tokens) + end;

    /// <summary>A pattern with a number that it should match.</summary>
    public static Gen<(string Pattern, string Dialed)> PatternAndMatch { get; } =
        from pattern in Pattern
        from dialed in MatchingNumber(pattern)
        select (pattern, dialed);

    private static Gen<string> MatchingNumber(string pattern)
    {
        var parts = new List<Gen<string>>();
        for (var i = 1; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '[')
            {
                var end = pattern.IndexOf(']', i);
                parts.Add(Gen.Elements(SetMembers(pattern[(i + 1)..end])).Select(m => m.ToString()));
                i = end;
            }
            else
            {
                parts.Add(c switch
                {
                    'X' or 'x' => Digit('0'),
                    'Z' or 'z' => Digit('1'),
                    'N' or 'n' => Digit('2'),
                    '.' => Text("0123456789*#", 5).Select(s => "1" + s),
                    '!' => Text("0123456789*#", 5),
                    '-' => Gen.Elements("", "-"),
                    _ => Gen.Constant(c.ToString()),
                });
            }
        }

        return parts.Aggregate(Gen.Constant(""), (number, part) =>
            from n in number
            from p in part
            select n + p);
    }

    private static Gen<string> Digit(char from) =>
        Gen.Choose(from, '9').Select(c => ((char)c).ToString());

    private static char[] SetMembers(string set)
    {
        var members = new List<char>();
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                for (var c = set[i]; c <= set[i + 2]; c++)
                {
                    members.Add(c);
                }

                i += 2;
            }
            else
            {
                members.Add(set[i]);
            }
        }

        return [.. members];
    }
}
