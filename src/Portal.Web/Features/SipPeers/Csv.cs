using System.Text;

namespace Portal.Web.Features.SipPeers;

/// <summary>One CSV record and the line it starts on (a quoted field may span lines).</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// RFC 4180 CSV: fields separated by commas, quoted with '"' when they hold a comma, a quote or a line break, a quote
/// doubled inside. Small enough to keep here: the import needs each record's line number for its report. Cells a
/// spreadsheet would take for a formula are written neutralised, and read back as they were.
/// </summary>
public static class Csv
{
    /// <summary>Reads every record; blank lines are skipped. Throws <see cref="FormatException"/> naming the line of a broken quote.</summary>
    public static IEnumerable<CsvRecord> Read(string text)
    {
        var line = 1;
        var i = 0;
        if (text.StartsWith('\uFEFF'))
        {
            i = 1;
        }
        while (i < text.Length)
        {
            var start = line;
            var fields = new List<string>();
            var field = new StringBuilder();
            var quoted = false;
            var wasQuoted = false;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                if (quoted)
                {
                    if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        line += c == '\n' ? 1 : 0;
                        field.Append(c);
                    }
                }
                else if (c == '"' && field.Length == 0 && !wasQuoted)
                {
                    quoted = wasQuoted = true;
                }
                else if (c == ',')
                {
                    fields.Add(Unneutralised(field.ToString()));
                    field.Clear();
                    wasQuoted = false;
                }
                else if (c is '\r' or '\n')
                {
                    i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                    line++;
                    break;
                }
                else if (wasQuoted)
                {
                    throw new FormatException($"Line {line}: text after a closing quote.");
                }
                else
                {
                    field.Append(c);
                }
            }
            if (quoted)
            {
                throw new FormatException($"Line {start}: a quoted field is never closed.");
            }
            fields.Add(Unneutralised(field.ToString()));
            if (fields.Count > 1 || fields[0].Length > 0 || wasQuoted)
            {
                yield return new CsvRecord(start, fields);
            }
        }
    }

    public static string Line(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    /// <summary>
    /// A cell a spreadsheet would run as a formula (OWASP's CSV injection list: a leading '=', '+', '-', '@', TAB or
    /// CR) goes out behind a <c>'</c>, which spreadsheets show as text. A useragent or fullcontact is whatever a
    /// registering phone sent. A cell that starts with <c>'</c> gets one more, so <see cref="Unneutralised"/> can take
    /// exactly one away again and a secret or PIN comes back from the portal's own import as it was.
    /// </summary>
    public static string Neutralised(string value) =>
        value.Length > 0 && (FormulaStart.Contains(value[0]) || value[0] == '\'') ? "'" + value : value;

    /// <summary>Undoes <see cref="Neutralised"/>: a <c>'</c> in front of a formula character or of another <c>'</c>.</summary>
    public static string Unneutralised(string cell) =>
        cell.Length > 1 && cell[0] == '\'' && (FormulaStart.Contains(cell[1]) || cell[1] == '\'') ? cell[1..] : cell;

    private const string FormulaStart = "=+-@\t\r";

    private static string Field(string? value)
    {
        if (value is null)
        {
            return "";
        }
        value = Neutralised(value);
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
