using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Portal.IntegrationTests.Dialplan;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Voicemail;

namespace Portal.IntegrationTests.Security;

/// <summary>
/// The data-side attacks of issue 17, replayed against the real cluster through the commands the pages call. Values a
/// browser's form cannot send (a trailing LF, a key of another tenant) are passed to the command directly: the
/// equivalent of swapping them inside the circuit's WebSocket frame, since the command is what that frame reaches.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DataAttackTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly ServiceProvider services = TestTenants.Services();
    private readonly DialplanServices dialplan = new();

    public void Dispose() => services.Dispose();

    private async Task<int> ToggleIdAsync(TestTenant tenant) =>
        Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT id FROM portal.office_toggles WHERE toggle_key = '{tenant.Key}'"));

    [Fact]
    public async Task A_tenants_flip_does_not_change_a_row_with_its_key_in_another_tenants_context()
    {
        var x = await TestTenants.CreateAsync(services);
        var y = await TestTenants.CreateAsync(services);
        // X's key in Y's dialplan, as SQL or an older portal could have put it there.
        await TestCluster.RootSqlAsync("master", $"INSERT INTO asteriskdb.extensions (context, exten, priority, app, appdata) VALUES ('{y.Context}', 'x-flag', 1, '{x.Key}', 'off')");

        await services.GetRequiredService<OfficeToggleCommands>().FlipAsync(x.Admin, await ToggleIdAsync(x), closed: true, None);

        Assert.Equal("on", await TestTenants.OnMasterAsync($"SELECT appdata FROM extensions WHERE context = '{x.Context}' AND app = '{x.Key}'"));
        Assert.Equal("off", await TestTenants.OnMasterAsync($"SELECT appdata FROM extensions WHERE context = '{y.Context}' AND app = '{x.Key}'"));
        // The watch reads X's toggle from X's rows only: one row, on, not "duplicated".
        var state = (await services.GetRequiredService<OfficeToggleWatch>().ScanAsync(None)).Toggles.Single(t => t.Key == x.Key);
        Assert.Equal(["on"], state.Nodes.Single(n => n.Node == NodeFlag.Master).Values);
    }

    [Fact]
    public async Task The_step_editor_a_copy_and_an_import_refuse_a_tenants_toggle_row_in_another_tenants_context()
    {
        var x = await TestTenants.CreateAsync(services);
        var y = await TestTenants.CreateAsync(services);
        var commands = dialplan.Commands;

        var add = await Assert.ThrowsAsync<ValidationException>(() => commands.AddStepAsync(DialplanServices.Operator,
            new StepForm { Context = y.Context, Exten = "x-flag", Priority = 1, App = x.Key, Appdata = "off" }, None));
        Assert.Contains($"office toggle of tenant {x.Key}", add.Message);

        // Moving X's flag row: copying its extension into Y's context.
        var copy = await Assert.ThrowsAsync<ValidationException>(() => commands.CopyExtensionAsync(DialplanServices.Operator, x.Context,
            OfficeToggleCommands.DefaultFlagExten, new ContextNameForm { Context = y.Context, Exten = "moved" }, None));
        Assert.Contains($"office toggle of tenant {x.Key}", copy.Message);

        var import = new ImportForm { Text = $"[{y.Contexts[1]}]\nexten => s,1,{x.Key}(off)\n", ReplaceExisting = true };
        Assert.Contains((await commands.PlanImportAsync(DialplanServices.Operator, import, None)).Check.Errors, e => e.Contains($"office toggle of tenant {x.Key}"));
        await Assert.ThrowsAnyAsync<Exception>(() => commands.ImportAsync(DialplanServices.Operator, import, None));

        Assert.Equal(0L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM extensions WHERE app = '{x.Key}' AND context LIKE '{y.Key}%'"));
        // X's own context still takes it.
        await commands.AddStepAsync(DialplanServices.Operator, new StepForm { Context = x.Contexts[1], Exten = "1", Priority = 1, App = "Playback", Appdata = "hello" }, None);
    }

    [Fact]
    public async Task Four_tabs_saving_the_same_mailbox_at_once_make_one_box_and_three_clear_refusals()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var boxes = services.GetRequiredService<VoicemailCommands>();
        VoicemailForm Box() => new() { Context = tenant.Context, Mailbox = "3203", Password = "4321", Fullname = "Reception", Email = "", Tz = "european" };

        var saves = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            try
            {
                await boxes.AddAsync(tenant.Admin, Box(), None);
                return null;
            }
            catch (WriteRefusedException e)
            {
                return e.Message;
            }
        })));

        Assert.Equal(1L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM voicemail WHERE context = '{tenant.Context}' AND mailbox = '3203'"));
        Assert.Single(saves, s => s is null);
        Assert.All(saves.Where(s => s is not null), s => Assert.Equal($"Mailbox 3203 already exists in context {tenant.Context}.", s));
    }

    [Fact]
    public async Task The_voicemail_table_refuses_a_second_box_of_the_same_context_and_mailbox_whoever_writes_it()
    {
        var tenant = await TestTenants.CreateAsync(services);
        await services.GetRequiredService<VoicemailCommands>().AddAsync(tenant.Admin,
            new VoicemailForm { Context = tenant.Context, Mailbox = "3204", Password = "4321", Fullname = "Sales", Email = "", Tz = "european" }, None);

        var duplicate = await Assert.ThrowsAnyAsync<Exception>(() => TestCluster.RootSqlAsync("master",
            $"INSERT INTO asteriskdb.voicemail (customer_id, context, mailbox, password, fullname) VALUES ('{tenant.Key}', '{tenant.Context}', '3204', '1111', 'Copy')"));
        Assert.Contains("Duplicate", duplicate.Message);
    }

    [Theory]
    [InlineData("3001\n", "Bob")]
    [InlineData("3002", "Bob\r\nBcc: everyone@example.test")]
    [InlineData("3003", "Bob\0")]
    [InlineData("3004", "Bob\tSmith")]
    public async Task A_mailbox_or_full_name_with_a_control_character_is_refused(string mailbox, string fullname)
    {
        var tenant = await TestTenants.CreateAsync(services);

        await Assert.ThrowsAsync<ValidationException>(() => services.GetRequiredService<VoicemailCommands>().AddAsync(tenant.Admin,
            new VoicemailForm { Context = tenant.Context, Mailbox = mailbox, Password = "4321", Fullname = fullname, Email = "", Tz = "european" }, None));

        Assert.Equal(0L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM voicemail WHERE context = '{tenant.Context}'"));
    }

    [Fact]
    public async Task A_pin_with_a_trailing_line_feed_is_refused()
    {
        var tenant = await TestTenants.CreateAsync(services);

        await Assert.ThrowsAsync<ValidationException>(() => services.GetRequiredService<PinCommands>().AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = "1234\n" }, None));

        Assert.Equal(0L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM pins WHERE company = '{tenant.Key}'"));
    }

    [Theory]
    [InlineData("hello\n[evil]")]
    [InlineData("hello\rinclude => other")]
    [InlineData("hello\0")]
    public async Task Appdata_with_a_line_break_or_nul_is_refused_by_the_step_editor(string appdata)
    {
        var context = DialplanServices.UniqueContext();

        var refused = await Assert.ThrowsAsync<ValidationException>(() => dialplan.Commands.AddStepAsync(DialplanServices.Operator,
            new StepForm { Context = context, Exten = "s", Priority = 1, App = "Playback", Appdata = appdata }, None));

        Assert.Contains("control character", refused.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM extensions WHERE context = '{context}'"));
    }

    [Fact]
    public async Task A_line_feed_written_into_appdata_by_sql_never_splits_a_line_of_the_extensions_conf_export()
    {
        var context = DialplanServices.UniqueContext();
        await TestCluster.RootSqlAsync("master",
            $"INSERT INTO asteriskdb.extensions (context, exten, priority, app, appdata) VALUES ('{context}', 's', 1, 'Answer', ''), ('{context}', 's', 2, 'Playback', 'hello\\n[evil]\\ninclude => other')");

        var text = await dialplan.Queries.ExportAsync(DialplanServices.Operator, context, None);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"[{context}]", "exten => s,1,Answer()"], lines[..2]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("; Not written: a row of priority 2", lines[2]);
        Assert.DoesNotContain(lines, l => l.StartsWith("[evil]") || l.StartsWith("include"));
    }
}
