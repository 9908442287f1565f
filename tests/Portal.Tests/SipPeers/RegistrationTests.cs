using Portal.Web.Features.SipPeers;

namespace Portal.Tests.SipPeers;

public class RegistrationTests
{
    private const long Now = 1_800_000_000;

    [Theory]
    [InlineData(0, "never registered")]
    [InlineData(Now + 42, "expires in 42 s")]
    [InlineData(Now + 600, "expires in 10 min")]
    [InlineData(Now + 3 * 3600 + 120, "expires in 3 h 2 min")]
    [InlineData(Now - 2 * 86400, "expired 2 d ago")]
    public void Expiry_reads_regseconds_as_the_registrations_end(long regseconds, string expected)
    {
        Assert.Equal(expected, Registration.Expiry((int)regseconds, Now));
    }

    [Fact]
    public void State_tells_registered_expired_and_never()
    {
        Assert.Equal(RegistrationState.Never, Registration.State(0, Now));
        Assert.Equal(RegistrationState.Registered, Registration.State((int)Now + 1, Now));
        Assert.Equal(RegistrationState.Expired, Registration.State((int)Now, Now));
    }

    [Fact]
    public void Address_brackets_ipv6_and_latency_reads_lastms()
    {
        Assert.Equal("192.0.2.1:5060", Registration.Address("192.0.2.1", "5060"));
        Assert.Equal("[2001:db8::1]:5062", Registration.Address("2001:db8::1", "5062"));
        Assert.Equal("", Registration.Address("", ""));
        Assert.Equal("23 ms", Registration.Latency(23));
        Assert.Equal("unreachable", Registration.Latency(-1));
        Assert.Equal("", Registration.Latency(0));
    }

    [Fact]
    public void Values_asterisk_stored_with_3B_are_shown_decoded()
    {
        Assert.Equal("sip:a@192.0.2.1:5060;ob", Registration.Decoded("sip:a@192.0.2.1:5060^3Bob"));
        Assert.Equal("", Registration.Decoded(null));
    }
}
