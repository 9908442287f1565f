using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Web.Data;
using Portal.Web.Features.OfficeToggles;

namespace Portal.Tests.OfficeToggles;

public class FlipFanOutTests
{
    private static string Metrics(FlipFanOut fanOut)
    {
        var text = new StringBuilder();
        fanOut.Render(text);
        return text.ToString();
    }

    [Fact]
    public void Counts_the_renders_of_a_flips_new_value_only()
    {
        var fanOut = new FlipFanOut();
        var flip = new WriteResult("0-1-7", 2, TimeSpan.FromMilliseconds(1), Stopwatch.GetTimestamp());

        Assert.Same(flip, fanOut.Committed(7, flip, "on"));
        fanOut.Rendered(7, "on");
        fanOut.Rendered(7, "on");
        // The old value (a page that had not seen the flip yet), and a toggle nobody flipped, are not the flip's fan-out.
        fanOut.Rendered(7, "off");
        fanOut.Rendered(8, "on");

        var metrics = Metrics(fanOut);
        Assert.Contains("portal_toggle_fanout_renders_total 2\n", metrics);
        Assert.Contains("portal_toggle_fanout_seconds{quantile=\"0.99\"} ", metrics);
    }

    [Fact]
    public void Times_a_flip_from_its_click_until_its_page_shows_it_live_everywhere()
    {
        var fanOut = new FlipFanOut();

        fanOut.Live(Stopwatch.GetTimestamp() - Stopwatch.Frequency / 20);

        var metrics = Metrics(fanOut);
        Assert.Contains("portal_toggle_flips_live_total 1\n", metrics);
        // At least the 50 ms since the click; more when this thread was held up in between (a busy machine).
        var seconds = Regex.Match(metrics, @"portal_toggle_flip_seconds\{quantile=""1""\} ([0-9.eE+-]+)\n");
        Assert.True(seconds.Success, metrics);
        Assert.True(double.Parse(seconds.Groups[1].Value, CultureInfo.InvariantCulture) >= 0.05, metrics);
        Assert.Contains("portal_toggle_fanout_renders_total 0\n", metrics);
    }

    [Fact]
    public void Shows_no_quantiles_before_the_first_flip()
    {
        var metrics = Metrics(new FlipFanOut());

        Assert.Contains("portal_toggle_fanout_renders_total 0\n", metrics);
        Assert.Contains("portal_toggle_flips_live_total 0\n", metrics);
        Assert.DoesNotContain("{quantile=", metrics);
    }
}
