using Portal.Asterisk.Nodes;

namespace Portal.Tests.Nodes;

public sealed class AsteriskFamilyTests
{
    [Theory]
    [InlineData("11.25.3", "11")]
    [InlineData("1.8.32.3", "1.8")]
    [InlineData("1.4.44", "1.4")]
    [InlineData("1.6.2.24", "1.6")]
    [InlineData("certified/13.21-cert3", "13")]
    [InlineData("17.9.4", "16")]
    [InlineData("20.11.0", "20")]
    public void A_release_a_node_reports_belongs_to_its_family(string release, string family) =>
        Assert.Equal(family, AsteriskFamily.OfRelease(release)?.Label);

    [Theory]
    [InlineData("GIT-master-4a5b6c")]
    [InlineData("1.0.12")]
    [InlineData("")]
    public void A_release_that_names_no_family_gives_none(string release) =>
        Assert.Null(AsteriskFamily.OfRelease(release));
}
