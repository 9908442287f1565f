using Microsoft.Extensions.DependencyInjection;
using Portal.Asterisk.Dialplan;
using Portal.IntegrationTests;
using Portal.IntegrationTests.Dialplan;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Voicemail;

namespace Portal.NodeTests;

/// <summary>
/// The mission's use cases made through the portal's own commands and run on the real nodes: what a caller gets is
/// read from the node's log, what a phone changes is read from the master and the portal.
/// </summary>
[Collection(NodesCollection.Name)]
public sealed class UseCaseTests : IDisposable
{
    private readonly ServiceProvider services = TestTenants.Services();
    private readonly DialplanServices dialplan = new();

    private OfficeToggleCommands Toggles => services.GetRequiredService<OfficeToggleCommands>();

    private OfficeToggleWatch Watch => services.GetRequiredService<OfficeToggleWatch>();

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task A_step_typed_with_commas_is_stored_with_pipes_and_runs_with_its_arguments_split()
    {
        var context = DialplanServices.UniqueContext("n");
        var typed = $"Local/target@{context},5,tr";
        var stored = PipeRule.FixCommas(typed).Appdata;
        Assert.Equal($"Local/target@{context}|5|tr", stored);
        await dialplan.Commands.CreateContextAsync(DialplanServices.Operator, new NewContextForm { Context = context, Exten = "s", App = "Dial", Appdata = stored }, CancellationToken.None);
        await AddStepsAsync(context, ("target", "NoOp", "reached"));
        await TestNodes.RefreshAsync();

        var log = await TestNodes.CallAsync("node1", context, "s", l => l.Contains($"[target@{context}:1]"));

        // Unsplit, Dial would look for a context named "<context>,5,tr" and the target would never run.
        Assert.Contains($"Dial(\"Local/s@{context}-", log);
        Assert.Contains($"\"Local/target@{context},5,tr\")", log);
        Assert.Contains($"NoOp(\"Local/target@{context}-", log);
    }

    [Fact]
    public async Task The_office_closed_flip_changes_the_next_call_on_both_nodes_back_and_forth()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var context = await AutoAttendantAsync(tenant);
        var toggle = await ToggleIdAsync(tenant);

        foreach (var closed in new[] { false, true, false })
        {
            if (closed || await FlagAsync(tenant) == "on")
            {
                var result = await Toggles.FlipAsync(tenant.Admin, toggle, closed, CancellationToken.None);
                await WaitOnReplicasAsync(result);
            }
            foreach (var node in TestNodes.Names)
            {
                var log = await TestNodes.CallAsync(node, context, "s", l => l.Contains($"[closed@{context}:1]") || l.Contains($"[s@{context}:4]"));
                Assert.DoesNotContain("No such application", log);
                Assert.Equal(closed, log.Contains($"[closed@{context}:1]"));
            }
        }
    }

    [Fact]
    public async Task A_feature_code_dialled_on_a_node_flips_the_flag_on_the_master_and_the_portal_audits_it_as_a_phone_flip()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var context = await AutoAttendantAsync(tenant);
        using var watching = Watch.Watch();
        Assert.Equal("off", (await ScanAsync(tenant)).OnMaster.State);

        await TestNodes.CallAsync("node1", context, "*20", l => l.Contains($"[*20@{context}:2]"));
        await TestNodes.EventuallyAsync(async () => await FlagAsync(tenant) == "on", "*20 on node1 turned the flag on on the master");
        var state = await ScanAsync(tenant);
        Assert.Equal((OfficeToggleWatch.OutsideUser, OfficeToggleWatch.OutsideAction, "off", "on"), (state.LastChange!.UserName, state.LastChange.Action, state.LastChange.From, state.LastChange.To));

        await TestNodes.CallAsync("node2", context, "*21", l => l.Contains($"[*21@{context}:2]"));
        await TestNodes.EventuallyAsync(async () => await FlagAsync(tenant) == "off", "*21 on node2 turned the flag off on the master");
        await ScanAsync(tenant);
        Assert.Equal(2L, Convert.ToInt64(await TestTenants.OnMasterAsync(
            $"SELECT COUNT(*) FROM portal.audit_log WHERE action = '{OfficeToggleWatch.OutsideAction}' AND row_key = 'app={tenant.Key}'")));
    }

    [Fact]
    public async Task A_pin_added_in_the_portal_authenticates_and_a_deactivated_or_deleted_one_does_not()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var pins = services.GetRequiredService<PinCommands>();
        var context = tenant.Key + "-ld";
        await dialplan.Commands.CreateContextAsync(DialplanServices.Operator,
            new NewContextForm { Context = context, TenantKey = tenant.Key, Template = ContextTemplate.LongDistance, Accountcode = tenant.Accountcode, Trunk = "SIP/trunk" },
            CancellationToken.None);
        // The caller: waits for the PIN prompt, then types the PIN and '#'.
        await AddStepsAsync(context, ("caller", "Wait", "1"), ("caller", "SendDTMF", "4826#"), ("caller", "Wait", "5"));
        await TestNodes.RefreshAsync();
        var result = await pins.AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = "4826" }, CancellationToken.None);
        var id = Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT id FROM pins WHERE company = '{tenant.Key}'"));

        await WaitOnReplicasAsync(result);
        Assert.True(await DialsOutAsync("node1", context));
        await WaitOnReplicasAsync(await pins.SetActiveAsync(tenant.Admin, id, active: false, CancellationToken.None));
        Assert.False(await DialsOutAsync("node2", context));
        await WaitOnReplicasAsync(await pins.SetActiveAsync(tenant.Admin, id, active: true, CancellationToken.None));
        Assert.True(await DialsOutAsync("node2", context));
        await WaitOnReplicasAsync(await pins.DeleteAsync(tenant.Admin, id, CancellationToken.None));
        Assert.False(await DialsOutAsync("node1", context));
    }

    [Fact]
    public async Task A_mailbox_made_by_a_tenant_admin_is_reached_by_VoiceMailMain_and_a_password_changed_from_the_phone_reaches_the_master()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var boxes = services.GetRequiredService<VoicemailCommands>();
        var added = await boxes.AddAsync(tenant.Admin, new VoicemailForm { Context = tenant.Context, Mailbox = "1001", Password = "4321", Fullname = "Reception" }, CancellationToken.None);
        var context = DialplanServices.UniqueContext("v");
        await dialplan.Commands.CreateContextAsync(DialplanServices.Operator,
            new NewContextForm { Context = context, Exten = "vm", App = "VoiceMailMain", Appdata = $"1001@{tenant.Context}" }, CancellationToken.None);
        // The phone: the password, 0 (mailbox options), 5 (change password), the new one twice. The pauses let each
        // (silent) prompt end, since app_voicemail drops digits typed during some of them; the password prompt came
        // about four seconds after VoiceMailMain started on this node.
        await AddStepsAsync(context,
            ("phone", "Wait", "7"), ("phone", "SendDTMF", "4321#"), ("phone", "Wait", "2"), ("phone", "SendDTMF", "0"), ("phone", "Wait", "1"),
            ("phone", "SendDTMF", "5"), ("phone", "Wait", "1"), ("phone", "SendDTMF", "8642#"), ("phone", "Wait", "1"), ("phone", "SendDTMF", "8642#"),
            ("phone", "Wait", "3"));
        await TestNodes.RefreshAsync();
        await WaitOnReplicasAsync(added);

        var log = await TestNodes.CallAsync("node1", context, "vm", l => l.Contains("vm-passchanged") || l.Contains("vm-goodbye"), then: $"extension phone@{context}");

        Assert.Contains($"VoiceMailMain(\"Local/vm@{context}-", log);
        Assert.Contains("vm-passchanged", log);
        await TestNodes.EventuallyAsync(
            async () => (string?)await TestTenants.OnMasterAsync($"SELECT password FROM voicemail WHERE context = '{tenant.Context}' AND mailbox = '1001'") == "8642",
            "the password changed from the phone is on the master");

        // The portal never shows a password, and an edit made in it afterwards keeps the one the phone set.
        var uniqueid = Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT uniqueid FROM voicemail WHERE context = '{tenant.Context}' AND mailbox = '1001'"));
        var form = (await boxes.GetAsync(tenant.Admin, uniqueid, CancellationToken.None))!;
        Assert.Equal("", form.Password);
        form.Fullname = "Front desk";
        await boxes.EditAsync(tenant.Admin, uniqueid, form, CancellationToken.None);
        Assert.Equal("Front desk|8642", await TestTenants.OnMasterAsync($"SELECT CONCAT_WS('|', fullname, password) FROM voicemail WHERE uniqueid = {uniqueid}"));
    }

    /// <summary>Calls the long-distance route with the caller typing the PIN; true when it dialled out, false when it said "invalid".</summary>
    private static async Task<bool> DialsOutAsync(string node, string context)
    {
        var log = await TestNodes.CallAsync(node, context, "18005551234", l => l.Contains($"[18005551234@{context}:4]") || l.Contains($"[18005551234@{context}:6]"),
            then: $"extension caller@{context}");
        Assert.DoesNotContain("No such application", log);
        return log.Contains($"[18005551234@{context}:4]");
    }

    /// <summary>An auto-attendant context of the tenant from the editor's template; the tenant's flag row is its own.</summary>
    private async Task<string> AutoAttendantAsync(TestTenant tenant)
    {
        var context = tenant.Key + "-aa";
        await dialplan.Commands.CreateContextAsync(DialplanServices.Operator,
            new NewContextForm { Context = context, TenantKey = tenant.Key, Template = ContextTemplate.AutoAttendant, ClosedMailbox = $"1001@{tenant.Context}" },
            CancellationToken.None);
        await TestNodes.RefreshAsync();
        return context;
    }

    private async Task AddStepsAsync(string context, params (string Exten, string App, string Appdata)[] steps)
    {
        foreach (var group in steps.GroupBy(s => s.Exten))
        {
            var priority = 0;
            foreach (var (exten, app, appdata) in group)
            {
                await dialplan.Commands.AddStepAsync(DialplanServices.Operator,
                    new StepForm { Context = context, Exten = exten, Priority = ++priority, App = app, Appdata = appdata }, CancellationToken.None);
            }
        }
    }

    private static async Task WaitOnReplicasAsync(WriteResult result)
    {
        foreach (var node in TestNodes.Names)
        {
            Assert.True(await TestCluster.WaitForGtidAsync(TestNodes.ReplicaOf(node), result.Gtid!), $"{TestNodes.ReplicaOf(node)} did not apply {result.Gtid}");
        }
    }

    private static async Task<string?> FlagAsync(TestTenant tenant) =>
        (string?)await TestTenants.OnMasterAsync($"SELECT appdata FROM extensions WHERE app = '{tenant.Key}'");

    private static async Task<int> ToggleIdAsync(TestTenant tenant) =>
        Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT id FROM portal.office_toggles WHERE toggle_key = '{tenant.Key}'"));

    private async Task<ToggleState> ScanAsync(TestTenant tenant) =>
        (await Watch.ScanAsync(CancellationToken.None)).Toggles.Single(t => t.Key == tenant.Key);
}
