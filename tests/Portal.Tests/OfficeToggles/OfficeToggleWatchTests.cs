using Portal.Web.Features.OfficeToggles;

namespace Portal.Tests.OfficeToggles;

public class OfficeToggleWatchTests
{
    private static ToggleState Read(string onReplica, string? lastBy = "admin@company-a.test", string? error = null) =>
        new(1, "company-a", "Company A", "Office closed", "company-a",
            [new NodeFlag(NodeFlag.Master, ["on"]), new NodeFlag("replica1", [onReplica], error)],
            lastBy is null ? null : new ToggleChange(lastBy, new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc), OfficeToggleWatch.FlipAction, "off", "on"));

    [Fact]
    public void A_toggle_read_the_same_in_a_new_round_is_the_same()
    {
        Assert.True(OfficeToggleWatch.Same(Read("on"), Read("on")));
    }

    [Fact]
    public void A_replica_that_applied_the_flip_since_is_a_change_pages_must_show()
    {
        Assert.False(OfficeToggleWatch.Same(Read("off"), Read("on")));
        Assert.False(OfficeToggleWatch.Same(Read("on"), Read("on", error: "no answer within 1000 ms")));
    }

    [Fact]
    public void A_new_last_change_is_a_change_pages_must_show()
    {
        Assert.False(OfficeToggleWatch.Same(Read("on"), Read("on", lastBy: OfficeToggleWatch.OutsideUser)));
        Assert.False(OfficeToggleWatch.Same(Read("on", lastBy: null), Read("on")));
    }
}
