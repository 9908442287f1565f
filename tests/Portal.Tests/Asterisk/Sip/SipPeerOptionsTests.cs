using Portal.Asterisk.Sip;

namespace Portal.Tests.Asterisk.Sip;

public class SipPeerOptionsTests
{
    [Theory]
    [InlineData("friend", true)]
    [InlineData("Peer", true)]
    [InlineData("user", true)]
    [InlineData("client", false)]
    public void Type_is_friend_peer_or_user(string value, bool valid)
    {
        Assert.Equal(valid, SipPeerOptions.IsValidType(value));
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("never", true)]
    [InlineData("route", true)]
    [InlineData("force_rport,comedia", true)]
    [InlineData("comedia,force_rport", true)]
    [InlineData("auto_force_rport,auto_comedia", true)]
    [InlineData("force_rport;comedia", false)]
    [InlineData("yes,comedia", false)]
    [InlineData("comedia,comedia", false)]
    [InlineData("", false)]
    public void Nat_accepts_comma_combinations_but_not_semicolons(string value, bool valid)
    {
        Assert.Equal(valid, SipPeerOptions.IsValidNat(value));
    }

    [Fact]
    public void Every_listed_value_is_valid()
    {
        Assert.All(SipPeerOptions.Nat, v => Assert.True(SipPeerOptions.IsValidNat(v)));
        Assert.All(SipPeerOptions.DtmfModes, v => Assert.True(SipPeerOptions.IsValidDtmfMode(v)));
        Assert.All(SipPeerOptions.DirectMedia, v => Assert.True(SipPeerOptions.IsValidDirectMedia(v)));
        Assert.All(SipPeerOptions.Qualify, v => Assert.True(SipPeerOptions.IsValidQualify(v)));
        Assert.All(SipPeerOptions.Insecure, v => Assert.True(SipPeerOptions.IsValidInsecure(v)));
    }

    [Theory]
    [InlineData("rfc2833", true)]
    [InlineData("shortinfo", true)]
    [InlineData("auto", true)]
    [InlineData("rfc4733", false)]
    public void Dtmfmode_takes_the_chan_sip_modes(string value, bool valid)
    {
        Assert.Equal(valid, SipPeerOptions.IsValidDtmfMode(value));
    }

    [Theory]
    [InlineData("nonat", true)]
    [InlineData("update,nonat", true)]
    [InlineData("nonat,update", true)]
    [InlineData("yes,update", false)]
    [InlineData("maybe", false)]
    public void Directmedia_combines_update_and_nonat(string value, bool valid)
    {
        Assert.Equal(valid, SipPeerOptions.IsValidDirectMedia(value));
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("2000", true)]
    [InlineData("0", false)]
    [InlineData("-5", false)]
    [InlineData("2s", false)]
    public void Qualify_is_yes_no_or_milliseconds(string value, bool valid)
    {
        Assert.Equal(valid, SipPeerOptions.IsValidQualify(value));
    }

    [Theory]
    [InlineData("port,invite", true)]
    [InlineData("invite,port", true)]
    [InlineData("very", true)]
    [InlineData("very,port", false)]
    public void Insecure_combines_port_and_invite(string value, bool valid)
    {
        Assert.Equal(valid, SipPeerOptions.IsValidInsecure(value));
    }
}
