using FsCheck.Xunit;
using Portal.Web.Features.Pins;
using Portal.Web.Features.SipPeers;

namespace Portal.Tests.Security;

/// <summary>Issue 17: cells a spreadsheet runs as formulas (a phone's useragent, a secret) go out as text and come back as they were.</summary>
public class CsvFormulaTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.test\",\"x\")")]
    [InlineData("+1+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1)")]
    [InlineData("\t=1")]
    [InlineData("\r=1")]
    public void An_exported_cell_never_starts_with_a_formula_character(string useragent)
    {
        var line = Csv.Line(["a-1", useragent]);

        var cell = line[(line.IndexOf(',') + 1)..].TrimStart('"');
        Assert.StartsWith("'", cell);
    }

    [Property]
    public bool Every_value_comes_back_from_the_portals_own_import_as_it_was(string? value)
    {
        value ??= "";
        return Csv.Read(Csv.Line(["name", value])).Single().Fields[1] == value;
    }

    [Theory]
    [InlineData("'quoted")]
    [InlineData("''=x")]
    [InlineData("-abc;def")]
    public void A_value_that_starts_with_a_quote_or_a_formula_character_round_trips(string secret)
    {
        Assert.Equal(secret, Csv.Read(Csv.Line(["name", secret])).Single().Fields[1]);
    }

    [Fact]
    public async Task A_pin_export_is_neutralised_and_reads_back_through_the_pin_import()
    {
        // A pin row written by SQL that a spreadsheet would run, beside an ordinary one.
        var writer = new StringWriter();
        await PinCsv.WriteAsync(writer, Pins(("1111-4321", "yes"), ("=1-5555", "no")), CancellationToken.None);

        Assert.DoesNotContain(writer.ToString().Split("\r\n"), l => l.Length > 0 && "=+-@".Contains(l[0]));
        var (rows, problems) = PinCsv.Parse(writer.ToString(), "1111");
        Assert.Equal([new PinCsvRow(2, "4321", true)], rows);
        Assert.Single(problems);
    }

    private static async IAsyncEnumerable<(string Stored, string Active)> Pins(params (string, string)[] pins)
    {
        foreach (var pin in pins)
        {
            yield return pin;
        }
        await Task.CompletedTask;
    }
}
