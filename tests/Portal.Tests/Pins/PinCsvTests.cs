using Portal.Web.Features.Pins;

namespace Portal.Tests.Pins;

public class PinCsvTests
{
    [Fact]
    public void Parse_takes_digits_or_the_stored_form_with_an_optional_active_flag()
    {
        var (rows, problems) = PinCsv.Parse("\uFEFFpin,active\r\n1234,yes\r\n1111-5678,no\r\n\r\n9999\r\n\"4444\";\"inactive\"\r\n", "1111");

        Assert.Empty(problems);
        Assert.Equal(
            [new PinCsvRow(2, "1234", true), new PinCsvRow(3, "5678", false), new PinCsvRow(5, "9999", true), new PinCsvRow(6, "4444", false)],
            rows);
    }

    [Fact]
    public void Parse_reports_another_accountcode_a_bad_flag_and_extra_fields_by_line()
    {
        var (rows, problems) = PinCsv.Parse("2222-1234\n1234,maybe\n1234,yes,extra\n5555\n", "1111");

        Assert.Equal([new PinCsvRow(4, "5555", true)], rows);
        Assert.Equal([1, 2, 3], problems.Select(p => p.Line));
        Assert.Contains("accountcode", problems[0].Message);
    }

    [Fact]
    public async Task Write_makes_a_file_parse_reads_back()
    {
        var writer = new StringWriter();
        await PinCsv.WriteAsync(writer, Rows(), CancellationToken.None);

        var (rows, problems) = PinCsv.Parse(writer.ToString(), "1111");

        Assert.StartsWith(PinCsv.Header, writer.ToString());
        Assert.Empty(problems);
        Assert.Equal([new PinCsvRow(2, "1234", true), new PinCsvRow(3, "0007", false)], rows);

        static async IAsyncEnumerable<(string, string)> Rows()
        {
            yield return ("1111-1234", "yes");
            await Task.Yield();
            yield return ("1111-0007", "no");
        }
    }
}
