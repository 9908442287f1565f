using Portal.Asterisk.Sip;

namespace Portal.Tests.Asterisk.Sip;

public class CodecsTests
{
    [Fact]
    public void Parse_splits_the_classic_allow_column_at_semicolons()
    {
        Assert.Equal(["gsm", "ulaw", "alaw"], Codecs.Parse("gsm;ulaw;alaw"));
    }

    [Fact]
    public void Parse_also_reads_commas_lowercases_and_skips_empties()
    {
        Assert.Equal(["ulaw", "g729"], Codecs.Parse(" ULAW, ;g729;"));
    }

    [Fact]
    public void Format_joins_with_semicolons()
    {
        Assert.Equal("gsm;ulaw;alaw", Codecs.Format(["gsm", "ulaw", "alaw"]));
    }

    [Theory]
    [InlineData("ulaw", true)]
    [InlineData("G722", true)]
    [InlineData("opus", true)]
    [InlineData("h264", true)]
    [InlineData("mp3", false)]
    public void IsKnown_knows_the_codec_names(string codec, bool known)
    {
        Assert.Equal(known, Codecs.IsKnown(codec));
    }
}
