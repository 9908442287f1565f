using Portal.Asterisk.Sip;

namespace Portal.Tests.Asterisk.Sip;

public class CallerIdTests
{
    [Theory]
    [InlineData("\"Name\" <1234>", "Name", "1234")]
    [InlineData("Front Desk <1000>", "Front Desk", "1000")]
    [InlineData("<1234>", "", "1234")]
    [InlineData("  \"A \\\"B\\\"\"   <+4930123>  ", "A \"B\"", "+4930123")]
    [InlineData("555-1234", "", "5551234")]
    [InlineData("Reception", "Reception", "")]
    [InlineData("\"1234\"", "1234", "")]
    public void TryParse_reads_the_forms_asterisk_reads(string text, string name, string number)
    {
        Assert.True(CallerId.TryParse(text, out var callerId));
        Assert.Equal(new CallerId(name, number), callerId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"Name\" <1234")]
    [InlineData("\"Name\" <1234> extra")]
    public void TryParse_refuses_what_it_cannot_read_back(string text)
    {
        Assert.False(CallerId.TryParse(text, out _));
    }

    [Fact]
    public void ToString_writes_the_column_value()
    {
        Assert.Equal("\"Name\" <1234>", new CallerId("Name", "1234").ToString());
        Assert.Equal("<1234>", new CallerId("", "1234").ToString());
        Assert.Equal("\"A \\\"B\\\"\"", new CallerId("A \"B\"", "").ToString());
    }

    [Theory]
    [InlineData("Name", "1234")]
    [InlineData("A \"quoted\" name", "+49")]
    [InlineData("Back\\slash", "*97")]
    public void TryParse_reads_back_what_ToString_wrote(string name, string number)
    {
        Assert.True(CallerId.TryParse(new CallerId(name, number).ToString(), out var callerId));
        Assert.Equal(new CallerId(name, number), callerId);
    }
}
