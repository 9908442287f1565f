using Portal.Web.Features.SipPeers;

namespace Portal.Web.Features.Pins;

/// <summary>One PIN line of an import file.</summary>
public sealed record PinCsvRow(int Line, string Digits, bool Active);

/// <summary>A line of an import file that cannot be imported, and why.</summary>
public sealed record PinCsvProblem(int Line, string Message);

/// <summary>
/// The PIN file format, for export and import: a header <c>pin,active</c>, then one PIN a line, stored form
/// (<c>1111-4321</c>) or digits only (<c>4321</c>), active <c>yes</c> or <c>no</c> (yes when left out).
/// A ';' separator is accepted too, as spreadsheets in many locales save it.
/// </summary>
public static class PinCsv
{
    public const string Header = "pin,active";

    public static (List<PinCsvRow> Rows, List<PinCsvProblem> Problems) Parse(string text, string accountcode)
    {
        var rows = new List<PinCsvRow>();
        var problems = new List<PinCsvProblem>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("pin", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            var fields = line.Split(line.Contains(',') ? ',' : ';').Select(f => Csv.Unneutralised(f.Trim().Trim('"').Trim())).ToArray();
            if (fields.Length > 2)
            {
                problems.Add(new PinCsvProblem(lineNumber, "expected pin[,active]"));
                continue;
            }
            var pin = fields[0];
            var dash = pin.IndexOf('-');
            if (dash >= 0 && pin[..dash] != accountcode)
            {
                problems.Add(new PinCsvProblem(lineNumber, $"'{pin[..dash]}-' is not this tenant's accountcode ({accountcode})"));
                continue;
            }
            bool? active = fields.Length < 2 || fields[1].Length == 0 ? true : ParseActive(fields[1]);
            if (active is null)
            {
                problems.Add(new PinCsvProblem(lineNumber, $"active must be yes or no, not '{fields[1]}'"));
                continue;
            }
            rows.Add(new PinCsvRow(lineNumber, dash >= 0 ? pin[(dash + 1)..] : pin, active.Value));
        }
        return (rows, problems);
    }

    public static async Task WriteAsync(TextWriter writer, IAsyncEnumerable<(string Stored, string Active)> pins, CancellationToken ct)
    {
        await writer.WriteAsync(Header + "\r\n");
        await foreach (var (stored, active) in pins.WithCancellation(ct))
        {
            await writer.WriteAsync(Csv.Line([stored, active]));
        }
    }

    private static bool? ParseActive(string value) => value.ToLowerInvariant() switch
    {
        "yes" or "y" or "1" or "true" or "active" => true,
        "no" or "n" or "0" or "false" or "inactive" => false,
        _ => null,
    };
}
