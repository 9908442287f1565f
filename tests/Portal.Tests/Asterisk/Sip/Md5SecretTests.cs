using Portal.Asterisk.Sip;

namespace Portal.Tests.Asterisk.Sip;

public class Md5SecretTests
{
    [Fact]
    public void Compute_hashes_name_realm_and_secret_in_lowercase_hex()
    {
        Assert.Equal("f1243e5710353a976f53f30734dcab69", Md5Secret.Compute("1001", Md5Secret.DefaultRealm, "secret"));
    }

    [Fact]
    public void Compute_depends_on_the_realm()
    {
        Assert.Equal("7b9f3a6a503cd9c212dd085012209438", Md5Secret.Compute("alice", "example.com", "pa:ss"));
    }
}
