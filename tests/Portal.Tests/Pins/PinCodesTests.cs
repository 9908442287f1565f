using Portal.Web.Features.Pins;

namespace Portal.Tests.Pins;

public class PinCodesTests
{
    [Theory]
    [InlineData("1111-4321", "1111-••••")]
    [InlineData("1111-123456789", "1111-••••")]
    [InlineData("4321", "••••")]
    public void Mask_keeps_the_accountcode_and_hides_the_digits_and_their_number(string stored, string masked)
    {
        Assert.Equal(masked, PinCodes.Mask(stored));
    }

    [Fact]
    public void Generate_makes_distinct_pins_of_the_length_none_of_them_taken()
    {
        var taken = Enumerable.Range(0, 4000).Select(i => i.ToString("D4")).ToHashSet();

        var made = PinCodes.Generate(1000, 4, taken);

        Assert.Equal(1000, made.Distinct().Count());
        Assert.All(made, p => Assert.Matches("^[0-9]{4}$", p));
        Assert.DoesNotContain(made, taken.Contains);
    }

    [Fact]
    public void Generate_refuses_to_fill_more_than_half_of_the_space()
    {
        Assert.False(PinCodes.HasRoom(4001, 4, 1000));
        Assert.True(PinCodes.HasRoom(4000, 4, 1000));
        Assert.Throws<ArgumentException>(() => PinCodes.Generate(51, 2, new HashSet<string>()));
    }
}
