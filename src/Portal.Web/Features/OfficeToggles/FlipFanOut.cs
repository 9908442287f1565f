using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Portal.Web.Data;
using Portal.Web.Features.Replication;

namespace Portal.Web.Features.OfficeToggles;

/// <summary>
/// The portal's own part of a flip: on the clicker's page, from the click's event until the switch rendered the flip
/// live on every replica; on every page that shows the toggle, from the flip's commit until the page rendered the new
/// value. A render batch then goes to that page's connection. What a browser does with the batch is not in it: on a
/// machine that runs the browsers too, the click-to-screen time is mostly theirs.
/// </summary>
public sealed class FlipFanOut
{
    /// <summary>Enough for 100 flips watched by 200 pages each.</summary>
    private readonly RecentDurations recent = new(20_000);
    private readonly ConcurrentDictionary<int, (string Value, long CommittedAt)> flips = new();
    private readonly RecentDurations live = new(1000);

    /// <summary>Notes a portal flip of a toggle to a value (before the watch's next round), and hands its result on.</summary>
    public WriteResult Committed(int toggleId, WriteResult result, string value)
    {
        flips[toggleId] = (value, result.CommittedAt);
        return result;
    }

    /// <summary>A page rendered a toggle's new value on the master; counted when it is the value of the toggle's last portal flip.</summary>
    public void Rendered(int toggleId, string value)
    {
        if (flips.TryGetValue(toggleId, out var flip) && flip.Value == value)
        {
            recent.Add(Stopwatch.GetElapsedTime(flip.CommittedAt).TotalMilliseconds);
        }
    }

    /// <summary>A flip's own page rendered it live on every replica; its click's event reached the circuit at <paramref name="clickedAt"/>.</summary>
    public void Live(long clickedAt) => live.Add(Stopwatch.GetElapsedTime(clickedAt).TotalMilliseconds);

    public void Render(StringBuilder text)
    {
        live.Render(text, "portal_toggle_flip_seconds", "From an office toggle's click event until the clicker's page rendered the flip live on every replica", 0.5, 0.95, 0.99, 1);
        live.RenderTotal(text, "portal_toggle_flips_live_total", "Office toggle flips rendered live on every replica on the clicker's page.");
        recent.Render(text, "portal_toggle_fanout_seconds", "From an office toggle flip's commit until a watching page rendered it", 0.5, 0.95, 0.99, 1);
        recent.RenderTotal(text, "portal_toggle_fanout_renders_total", "Renders of a flipped office toggle's new value on watching pages.");
    }
}
