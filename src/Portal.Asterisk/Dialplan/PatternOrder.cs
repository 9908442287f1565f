namespace Portal.Asterisk.Dialplan;

/// <summary>
/// Where a context behaves differently as realtime rows and as a static extensions.conf. The realtime switch tries
/// pattern rows in the SQL order of <c>exten</c> and takes the first that matches (before 13.15), and finds a literal
/// by SQL equality, which the default collations make case-insensitive. A static dialplan picks the most specific
/// matching pattern (ext_cmp in main/pbx.c: the first character class that differs decides, the smaller set wins)
/// and tells <c>S</c> from <c>s</c>.
/// </summary>
public static class PatternOrder
{
    /// <param name="rows">The context's rows in the SQL order of exten (as the switch reads them).</param>
    public static IReadOnlyList<string> Differences(IEnumerable<ExtensionRow> rows)
    {
        var extens = rows.Select(r => r.Exten).Distinct(StringComparer.Ordinal).ToList();
        var warnings = new List<string>();
        var patterns = extens.Where(Exten.IsPattern).ToList();
        for (var i = 0; i < patterns.Count; i++)
        {
            for (var j = i + 1; j < patterns.Count; j++)
            {
                var (first, later) = (patterns[i], patterns[j]);
                if (Compare(later, first) < 0 && Overlap(first, later) is { } number)
                {
                    warnings.Add($"{number} matches {first} and {later}: the realtime switch runs {first} (it comes first in " +
                        $"the SQL order of exten), a static extensions.conf runs {later} (the more specific pattern)");
                }
            }
        }

        foreach (var same in extens.Where(e => !Exten.IsPattern(e)).GroupBy(e => e, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            warnings.Add($"{string.Join(" and ", same)} are one extension to the realtime switch (the database compares " +
                "exten without case, so a call to either may run the other's steps) and two in a static extensions.conf");
        }

        return warnings;
    }

    /// <summary>Negative when pattern a is more specific than b, as ext_cmp orders them.</summary>
    private static int Compare(string a, string b)
    {
        var (x, y) = (Classes(a), Classes(b));
        for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
        {
            if (x[i] != y[i])
            {
                return x[i].CompareTo(y[i]);
            }
        }

        return x.Count.CompareTo(y.Count);
    }

    /// <summary>The size of each character class of a pattern: X 10, Z 9, N 8, a set its members, '.' and '!' more than any.</summary>
    private static List<int> Classes(string pattern)
    {
        var sizes = new List<int>();
        for (var p = 1; p < pattern.Length; p++)
        {
            switch (char.ToUpperInvariant(pattern[p]))
            {
                case 'X': sizes.Add(10); break;
                case 'Z': sizes.Add(9); break;
                case 'N': sizes.Add(8); break;
                case '.': sizes.Add(10_000); break;
                case '!': sizes.Add(10_001); break;
                case '-': break;
                case '[':
                    var end = pattern.IndexOf(']', p + 1);
                    var set = end < 0 ? pattern[(p + 1)..] : pattern[(p + 1)..end];
                    sizes.Add(Members(set).Count);
                    p = end < 0 ? pattern.Length : end;
                    break;
                default: sizes.Add(1); break;
            }
        }

        return sizes;
    }

    private static HashSet<char> Members(string set)
    {
        var members = new HashSet<char>();
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

        return members;
    }

    /// <summary>A number both patterns match, built from the more specific one's smallest digits; null when none is found.</summary>
    private static string? Overlap(string general, string specific)
    {
        foreach (var filler in "0123456789")
        {
            var number = Sample(specific, filler);
            foreach (var candidate in new[] { number, number + filler, number + filler + filler })
            {
                if (candidate.Length > 0 && Exten.Matches(general, candidate) && Exten.Matches(specific, candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>One number a pattern matches, each class filled with the filler where it allows it.</summary>
    private static string Sample(string pattern, char filler)
    {
        var number = new System.Text.StringBuilder();
        for (var p = 1; p < pattern.Length; p++)
        {
            var c = pattern[p];
            switch (char.ToUpperInvariant(c))
            {
                case 'X': number.Append(filler); break;
                case 'Z': number.Append(filler < '1' ? '1' : filler); break;
                case 'N': number.Append(filler < '2' ? '2' : filler); break;
                case '.': number.Append(filler); return number.ToString();
                case '!': return number.ToString();
                case '-': break;
                case '[':
                    var end = pattern.IndexOf(']', p + 1);
                    var members = Members(end < 0 ? pattern[(p + 1)..] : pattern[(p + 1)..end]);
                    number.Append(members.Contains(filler) ? filler : members.DefaultIfEmpty('0').Min());
                    p = end < 0 ? pattern.Length : end;
                    break;
                default: number.Append(c); break;
            }
        }

        return number.ToString();
    }
}
