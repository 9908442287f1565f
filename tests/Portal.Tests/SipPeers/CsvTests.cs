using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Portal.Web.Features.SipPeers;

namespace Portal.Tests.SipPeers;

public class CsvTests
{
    [Fact]
    public void Read_splits_fields_and_unquotes_with_doubled_quotes()
    {
        var records = Csv.Read("name,callerid\r\na-1,\"\"\"Alice, A\"\" <1>\"\r\n").ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(["a-1", "\"Alice, A\" <1>"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void Read_numbers_records_by_the_line_they_start_on_across_quoted_line_breaks_and_blank_lines()
    {
        var records = Csv.Read("\uFEFFname,note\n\"a\",\"two\nlines\"\n\nb,x\n").ToList();
        Assert.Equal([1, 2, 5], records.Select(r => r.Line));
        Assert.Equal("name", records[0].Fields[0]);
        Assert.Equal("two\nlines", records[1].Fields[1]);
    }

    [Fact]
    public void Read_keeps_empty_fields()
    {
        Assert.Equal(["a", "", ""], Csv.Read("a,,\n").Single().Fields);
    }

    [Theory]
    [InlineData("name\n\"a-1\n", "Line 2: a quoted field is never closed")]
    [InlineData("name\n\"a\"b\n", "Line 2: text after a closing quote")]
    public void Read_names_the_line_of_broken_quoting(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => Csv.Read(text).ToList());
        Assert.Equal(message + ".", error.Message);
    }

    [Property(MaxTest = 300)]
    public Property Line_then_Read_gives_the_fields_back() =>
        Prop.ForAll(
            Gen.NonEmptyListOf(Gen.Elements("", "a", ",", "\"", "\r\n", "x y", "é", "\"Alice\" <1>", "ulaw;alaw")
                .SelectMany(a => Gen.Elements("", "b", ",\"").Select(b => a + b))).ToArbitrary(),
            fields =>
            {
                var read = Csv.Read(Csv.Line(fields)).ToList();
                // A line of one empty field is a blank line, which Read skips.
                return fields is [""] ? read.Count == 0 : read.Single().Fields.SequenceEqual(fields);
            });
}
