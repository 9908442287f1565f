using Portal.Web.Data;
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

    [Fact]
    public void A_renamed_toggle_or_a_node_more_is_a_change_pages_must_show()
    {
        Assert.False(OfficeToggleWatch.Same(Read("on"), Read("on") with { Name = "Holiday" }));
        Assert.False(OfficeToggleWatch.Same(Read("on"), Read("on") with { TenantName = "Company A Ltd" }));
        Assert.False(OfficeToggleWatch.Same(Read("on"), Read("on") with { Nodes = [.. Read("on").Nodes, new NodeFlag("replica2", ["on"])] }));
        Assert.False(OfficeToggleWatch.Same(Read("on"), Read("on") with { Nodes = [new NodeFlag(NodeFlag.Master, ["on", "on"]), Read("on").Nodes[1]] }));
    }

    private static ToggleState Of(int id, string tenant) =>
        new(id, tenant, tenant, "Office closed", tenant + "-office", [new NodeFlag(NodeFlag.Master, ["off"])], null);

    [Fact]
    public void A_tenant_admin_sees_only_their_tenants_toggles_whether_the_round_listed_their_tenant_or_not()
    {
        var a = Of(1, "company-a");
        var b = Of(2, "company-b");
        var c = Of(3, "company-c");
        var ofA = new List<ToggleState> { a };
        var snapshot = new ToggleSnapshot(DateTime.UtcNow, [a, b, c], new Dictionary<string, List<ToggleState>>(StringComparer.Ordinal) { ["company-a"] = ofA });

        Assert.Same(ofA, snapshot.VisibleTo(new Caller("admin@company-a.test", false, "company-a")));
        Assert.Equal([b], snapshot.VisibleTo(new Caller("admin@company-b.test", false, "company-b")));
        Assert.Empty(snapshot.VisibleTo(new Caller("admin@company-a.test", false, "COMPANY-A")));
        Assert.Empty(snapshot.VisibleTo(new Caller("nobody@example.test", false, null)));
        Assert.Equal([a, b, c], snapshot.VisibleTo(new Caller("operator@example.test", true, null)));
    }
}
