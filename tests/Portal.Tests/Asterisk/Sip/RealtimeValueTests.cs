using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Portal.Asterisk.Sip;

namespace Portal.Tests.Asterisk.Sip;

public class RealtimeValueTests
{
    [Fact]
    public void Decode_turns_3B_into_the_semicolon_of_a_fullcontact()
    {
        Assert.Equal("sip:1001@1.2.3.4:5060;transport=udp", RealtimeValue.Decode("sip:1001@1.2.3.4:5060^3Btransport=udp"));
    }

    [Fact]
    public void Encode_writes_semicolon_and_caret_as_hex_escapes()
    {
        Assert.Equal("sip:1001@1.2.3.4^3Btransport=udp^5E", RealtimeValue.Encode("sip:1001@1.2.3.4;transport=udp^"));
    }

    [Theory]
    [InlineData("^3b", ";")]
    [InlineData("^41^42", "AB")]
    [InlineData("^5E3B", "^3B")]
    [InlineData("^3", "^3")]
    [InlineData("^zz", "^zz")]
    [InlineData("50^", "50^")]
    public void Decode_reads_any_two_hex_digit_escape_once(string stored, string value)
    {
        Assert.Equal(value, RealtimeValue.Decode(stored));
    }

    [Property]
    public Property Decode_undoes_encode() =>
        Prop.ForAll(
            Gen.ArrayOf(Gen.Elements("abc;^3B^5E019:@ ".ToCharArray())).Select(c => new string(c)).ToArbitrary(),
            value => RealtimeValue.Decode(RealtimeValue.Encode(value)) == value && !RealtimeValue.Encode(value).Contains(';'));
}
