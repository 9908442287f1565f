using Microsoft.Extensions.DependencyInjection;
using Portal.Asterisk.Dialplan;
using Portal.IntegrationTests.Dialplan;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Voicemail;

namespace Portal.IntegrationTests.Security;

/// <summary>
/// Issue 17's silent overwrites: two forms opened on the same row, both saved. The first save wins, the second is
/// refused with a conflict (nothing lost), and an overwrite the user chooses then goes through.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StaleSaveTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ServiceProvider services = TestTenants.Services();

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task A_second_stale_mailbox_save_is_refused_and_the_first_is_kept()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var boxes = services.GetRequiredService<VoicemailCommands>();
        await boxes.AddAsync(tenant.Admin, new VoicemailForm { Context = tenant.Context, Mailbox = "3301", Password = "4321", Fullname = "Reception", Email = "", Tz = "european" }, None);
        var id = Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT uniqueid FROM voicemail WHERE context = '{tenant.Context}' AND mailbox = '3301'"));
        var first = (await boxes.GetAsync(tenant.Admin, id, None))!;
        var second = (await boxes.GetAsync(tenant.Admin, id, None))!;

        first.Fullname = "Front desk";
        await boxes.EditAsync(tenant.Admin, id, first, None);
        second.Email = "desk@example.test";
        var conflict = await Assert.ThrowsAsync<EditConflictException>(() => boxes.EditAsync(tenant.Admin, id, second, None));

        Assert.Contains("changed by someone else", conflict.Message);
        Assert.Equal("Front desk|", await TestTenants.OnMasterAsync($"SELECT CONCAT_WS('|', fullname, email) FROM voicemail WHERE uniqueid = {id}"));
        second.Original = conflict.Current;
        await boxes.EditAsync(tenant.Admin, id, second, None);
        Assert.Equal("Reception|desk@example.test", await TestTenants.OnMasterAsync($"SELECT CONCAT_WS('|', fullname, email) FROM voicemail WHERE uniqueid = {id}"));
    }

    [Fact]
    public async Task Two_stale_mailbox_saves_at_once_make_one_save_and_one_conflict()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var boxes = services.GetRequiredService<VoicemailCommands>();
        await boxes.AddAsync(tenant.Admin, new VoicemailForm { Context = tenant.Context, Mailbox = "3302", Password = "4321", Fullname = "Sales", Email = "", Tz = "european" }, None);
        var id = Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT uniqueid FROM voicemail WHERE context = '{tenant.Context}' AND mailbox = '3302'"));
        var forms = new[] { (await boxes.GetAsync(tenant.Admin, id, None))!, (await boxes.GetAsync(tenant.Admin, id, None))! };
        forms[0].Fullname = "Sales A";
        forms[1].Fullname = "Sales B";

        var outcomes = await Task.WhenAll(forms.Select(form => Task.Run(async () =>
        {
            try
            {
                await boxes.EditAsync(tenant.Admin, id, form, None);
                return form.Fullname;
            }
            catch (EditConflictException)
            {
                return "conflict";
            }
        })));

        Assert.Single(outcomes, o => o == "conflict");
        Assert.Equal(outcomes.Single(o => o != "conflict"), await TestTenants.OnMasterAsync($"SELECT fullname FROM voicemail WHERE uniqueid = {id}"));
    }

    [Fact]
    public async Task A_second_stale_pin_save_is_refused_and_the_first_is_kept()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var pins = services.GetRequiredService<PinCommands>();
        await pins.AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = "482913" }, None);
        var id = Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT id FROM pins WHERE company = '{tenant.Key}'"));
        var opened = (await pins.GetAsync(tenant.Admin, id, None))!;

        await pins.EditAsync(tenant.Admin, id, new PinForm { Digits = "771234", Active = true, Original = opened.Original }, None);
        var conflict = await Assert.ThrowsAsync<EditConflictException>(() =>
            pins.EditAsync(tenant.Admin, id, new PinForm { Digits = "", Active = false, Original = opened.Original }, None));

        Assert.DoesNotContain("771234", conflict.Message + conflict.Current);
        Assert.Equal($"{tenant.Accountcode}-771234|yes", await TestTenants.OnMasterAsync($"SELECT CONCAT_WS('|', pin, active) FROM pins WHERE id = {id}"));
    }

    [Fact]
    public async Task A_second_stale_step_save_is_refused_and_the_first_is_kept()
    {
        var dialplan = new DialplanServices();
        var context = DialplanServices.UniqueContext();
        await dialplan.Commands.AddStepAsync(DialplanServices.Operator, new StepForm { Context = context, Exten = "s", Priority = 1, App = "Playback", Appdata = "hello" }, None);
        var step = (await dialplan.Queries.ContextAsync(DialplanServices.Operator, context, null, 0, 10, None)).Extensions.Single().Steps.Single().Step;
        var first = StepForm.From(step.ToRow());
        var second = StepForm.From(step.ToRow());

        first.Appdata = "welcome";
        await dialplan.Commands.UpdateStepAsync(DialplanServices.Operator, step.Id, first, None);
        second.App = "Background";
        await Assert.ThrowsAsync<EditConflictException>(() => dialplan.Commands.UpdateStepAsync(DialplanServices.Operator, step.Id, second, None));

        Assert.Equal("s,1,Playback(welcome)", await DialplanServices.RowsAsync(TestCluster.Database().AsteriskConnectionString, context));
    }
}
