using FluentValidation;
using MySqlConnector;
using Portal.Asterisk.Dialplan;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;

namespace Portal.IntegrationTests.Dialplan;

[Collection(ClusterCollection.Name)]
public sealed class DialplanCommandsTests
{
    private static readonly Caller Operator = DialplanServices.Operator;
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly DialplanServices dialplan = new();
    private readonly string master = TestCluster.Database().AsteriskConnectionString;

    [Fact]
    public async Task Write_path_refuses_a_comma_from_any_caller()
    {
        var context = await NewContextAsync();
        var commands = dialplan.Commands;

        var add = await Assert.ThrowsAsync<ValidationException>(() =>
            commands.AddStepAsync(Operator, new StepForm { Context = context, Exten = "1001", Priority = 1, App = "Dial", Appdata = "SIP/1001,20,tr" }, None));
        Assert.Contains("comma", add.Message);

        var step = (await dialplan.Queries.ContextAsync(Operator, context, null, 0, 10, None)).Extensions.Single().Steps.Single().Step;
        await Assert.ThrowsAsync<ValidationException>(() =>
            commands.UpdateStepAsync(Operator, step.Id, new StepForm { Context = context, Exten = "s", Priority = 1, App = "Playback", Appdata = "hello,world" }, None));

        var other = DialplanServices.UniqueContext();
        await Assert.ThrowsAsync<ValidationException>(() => commands.CreateContextAsync(Operator,
            new NewContextForm { Context = other, Template = ContextTemplate.DirectDial, Exten = "1001", Device = "SIP/a,SIP/b", Mailbox = "1001@x" }, None));

        // A comma inside $[ ] no pipe can replace (there it would be an OR): the import refuses the whole file.
        var import = new ImportForm { Text = $"[{other}]\nexten => 1,1,Playback(ok)\nexten => 2,1,Set(x=$[1,2])\n" };
        Assert.False((await commands.PlanImportAsync(Operator, import, None)).CanImport);
        await Assert.ThrowsAnyAsync<Exception>(() => commands.ImportAsync(Operator, import, None));

        Assert.Equal("s,1,Answer()", await DialplanServices.RowsAsync(master, context));
        Assert.Equal("", await DialplanServices.RowsAsync(master, other));
    }

    [Fact]
    public async Task Write_path_refuses_an_application_the_cluster_lacks_and_names_the_replacement()
    {
        var context = await NewContextAsync();
        var commands = dialplan.Commands;

        // No node older than 11 is declared: RealTimeUpdate is gone there ("No such application" at call time).
        var add = await Assert.ThrowsAsync<ValidationException>(() =>
            commands.AddStepAsync(Operator, new StepForm { Context = context, Exten = "*20", Priority = 1, App = "RealTimeUpdate", Appdata = "extensions|app|x|appdata|on" }, None));
        Assert.Contains("Asterisk 11", add.Message);
        Assert.Contains("Set(REALTIME(", add.Message);

        var import = new ImportForm { Text = $"[{DialplanServices.UniqueContext()}]\nexten => s,1,SetCallerID(\"A\" <1>)\n" };
        var plan = await commands.PlanImportAsync(Operator, import, None);
        Assert.False(plan.CanImport);
        Assert.Contains(plan.Check.Findings, f => f.Message.Contains("CALLERID(all)"));

        // The 1.6+ form of the same write is accepted.
        await commands.AddStepAsync(Operator, new StepForm { Context = context, Exten = "*20", Priority = 1, App = "Set", Appdata = "REALTIME(extensions|app|x|appdata)=on" }, None);
        Assert.Equal("*20,1,Set(REALTIME(extensions|app|x|appdata)=on)\ns,1,Answer()", await DialplanServices.RowsAsync(master, context));
    }

    [Fact]
    public async Task New_step_is_on_both_replicas()
    {
        var context = await NewContextAsync();

        var result = await dialplan.Commands.AddStepAsync(Operator,
            new StepForm { Context = context, Exten = "1001", Priority = 1, App = "Dial", Appdata = "SIP/1001|20|tr" }, None);

        Assert.NotNull(result.Gtid);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.True(await TestCluster.WaitForGtidAsync(replica, result.Gtid!), $"{replica} did not apply {result.Gtid}");
            Assert.Contains("1001,1,Dial(SIP/1001|20|tr)", await DialplanServices.RowsAsync(TestCluster.ReplicaConnectionString(replica), context));
        }
    }

    [Fact]
    public async Task Tenant_admin_reads_only_their_contexts_and_cannot_write()
    {
        var own = await NewContextAsync();
        var foreign = await NewContextAsync();
        var key = await dialplan.CreateTenantAsync(own);
        var admin = new Caller("admin@" + key, IsOperator: false, TenantKey: key);

        Assert.Equal(own, (await dialplan.Queries.ContextAsync(admin, own, null, 0, 10, None)).Context);
        Assert.Equal([own], (await dialplan.Queries.ContextsAsync(admin, null, null, 0, 50, None)).Select(r => r.Context));
        await Assert.ThrowsAsync<AccessDeniedException>(() => dialplan.Queries.ContextAsync(admin, foreign, null, 0, 10, None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => dialplan.Queries.SimulateAsync(admin, foreign, "1", RealtimeSwitch.LongestPatternFirstSince, None));
        Assert.All((await dialplan.Queries.SearchAsync(admin, SearchField.Exten, "s", 0, 50, None)).Rows, r => Assert.Equal(own, r.Context));

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            dialplan.Commands.AddStepAsync(admin, new StepForm { Context = own, Exten = "2", Priority = 1, App = "Hangup" }, None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => dialplan.Commands.DeleteContextAsync(admin, own, None));
        await Assert.ThrowsAsync<AccessDeniedException>(() => dialplan.Commands.ImportAsync(admin, new ImportForm { Text = $"[{own}]\nexten => 3,1,Hangup\n" }, None));

        Assert.Equal("s,1,Answer()", await DialplanServices.RowsAsync(master, own));
        Assert.Equal(1L, await TestCluster.ScalarAsync(master, $"SELECT COUNT(*) FROM portal.audit_log WHERE action = 'denied: add step' AND user_name = 'admin@{key}'"));
    }

    [Fact]
    public async Task Steps_move_and_renumber_without_colliding_with_the_key()
    {
        var context = await NewContextAsync();
        var commands = dialplan.Commands;
        await commands.AddStepAsync(Operator, new StepForm { Context = context, Exten = "s", Priority = 2, App = "Wait", Appdata = "1" }, None);
        await commands.AddStepAsync(Operator, new StepForm { Context = context, Exten = "s", Priority = 4, App = "Playback", Appdata = "hello" }, None);
        var playback = (await StepsAsync(context)).Single(s => s.App == "Playback");

        await commands.MoveStepAsync(Operator, playback.Id, -1, None);
        Assert.Equal("s,1,Answer()\ns,2,Playback(hello)\ns,4,Wait(1)", await DialplanServices.RowsAsync(master, context));

        await commands.RenumberAsync(Operator, context, "s", None);
        Assert.Equal("s,1,Answer()\ns,2,Playback(hello)\ns,3,Wait(1)", await DialplanServices.RowsAsync(master, context));

        // Priority 1 cannot go while later steps stay: Asterisk starts every call there.
        var answer = (await StepsAsync(context)).Single(s => s.Priority == 1);
        var error = await Assert.ThrowsAsync<ValidationException>(() => commands.DeleteStepAsync(Operator, answer.Id, None));
        Assert.Contains("no priority 1", error.Message);
    }

    [Fact]
    public async Task Copy_extension_takes_every_step_to_a_new_exten()
    {
        var context = await NewContextAsync();
        await dialplan.Commands.AddStepAsync(Operator, new StepForm { Context = context, Exten = "s", Priority = 2, App = "Hangup" }, None);

        await dialplan.Commands.CopyExtensionAsync(Operator, context, "s", new ContextNameForm { Context = context, Exten = "1000" }, None);

        Assert.Equal("1000,1,Answer()\n1000,2,Hangup()\ns,1,Answer()\ns,2,Hangup()", await DialplanServices.RowsAsync(master, context));
        await Assert.ThrowsAsync<WriteRefusedException>(() =>
            dialplan.Commands.CopyExtensionAsync(Operator, context, "s", new ContextNameForm { Context = context, Exten = "1000" }, None));
    }

    [Fact]
    public async Task Rename_context_moves_rows_peers_and_tenant_together_or_not_at_all()
    {
        var key = await dialplan.CreateTenantAsync();
        var context = await NewContextAsync(key);
        var peer = DialplanServices.UniqueContext("p");
        await TestCluster.RootSqlAsync("master", $"INSERT INTO asteriskdb.sip (name, host, context) VALUES ('{peer}', 'dynamic', '{context}')");
        var taken = DialplanServices.UniqueContext();
        await dialplan.CreateTenantAsync(taken);

        // The rows move first; the tenant list refuses the name; the transaction takes the moved rows back.
        await Assert.ThrowsAsync<WriteRefusedException>(() =>
            dialplan.Commands.RenameContextAsync(Operator, context, new ContextNameForm { Context = taken }, None));
        Assert.Equal("s,1,Answer()", await DialplanServices.RowsAsync(master, context));
        Assert.Equal(context, await TestCluster.ScalarAsync(master, $"SELECT context FROM sip WHERE name = '{peer}'"));

        var renamed = DialplanServices.UniqueContext();
        await dialplan.Commands.RenameContextAsync(Operator, context, new ContextNameForm { Context = renamed }, None);

        Assert.Equal("", await DialplanServices.RowsAsync(master, context));
        Assert.Equal("s,1,Answer()", await DialplanServices.RowsAsync(master, renamed));
        Assert.Equal(renamed, await TestCluster.ScalarAsync(master, $"SELECT context FROM sip WHERE name = '{peer}'"));
        Assert.Equal([renamed], await new TenantDirectory(dialplan.PortalFactory).ContextsOfAsync(key, None));
    }

    [Fact]
    public async Task Delete_context_is_all_or_nothing()
    {
        var key = await dialplan.CreateTenantAsync();
        var context = await NewContextAsync(key);
        await dialplan.Commands.AddStepAsync(Operator, new StepForm { Context = context, Exten = "s", Priority = 2, App = "Playback", Appdata = "goodbye" }, None);

        // Another session holds the tenant's row: the delete of the rows succeeds, the tenant list's waits and times
        // out, and the whole transaction goes back.
        await TestCluster.RootSqlAsync("master", "SET GLOBAL innodb_lock_wait_timeout = 1");
        try
        {
            await using (var blocker = new MySqlConnection(TestCluster.Database().PortalConnectionString))
            {
                await blocker.OpenAsync();
                await using var transaction = await blocker.BeginTransactionAsync();
                await using (var lockRow = new MySqlCommand($"SELECT * FROM tenant_contexts WHERE context = '{context}' FOR UPDATE", blocker, transaction))
                {
                    await lockRow.ExecuteScalarAsync();
                }
                await Assert.ThrowsAsync<WriteRefusedException>(() => dialplan.Commands.DeleteContextAsync(Operator, context, None));
                Assert.Equal("s,1,Answer()\ns,2,Playback(goodbye)", await DialplanServices.RowsAsync(master, context));
            }
        }
        finally
        {
            await TestCluster.RootSqlAsync("master", "SET GLOBAL innodb_lock_wait_timeout = 50");
        }

        var result = await dialplan.Commands.DeleteContextAsync(Operator, context, None);

        Assert.Equal("", await DialplanServices.RowsAsync(master, context));
        Assert.Empty(await new TenantDirectory(dialplan.PortalFactory).ContextsOfAsync(key, None));
        // Each deleted row is in the audit log with its values, in the same commit.
        Assert.Equal(3, result.RowsChanged);
        Assert.Equal(1L, await TestCluster.ScalarAsync(master, $"SELECT COUNT(*) FROM portal.audit_log WHERE action = 'delete context' AND old_values LIKE '%{context}%goodbye%'"));
    }

    [Fact]
    public async Task Import_writes_every_context_or_none()
    {
        var key = await dialplan.CreateTenantAsync();
        var (first, second) = (DialplanServices.UniqueContext(), DialplanServices.UniqueContext());
        var broken = new ImportForm { TenantKey = key, Text = $"[{first}]\nexten => 1,1,Dial(SIP/1,20)\n[{second}]\nexten => 2,1,Answer\nexten => 2,200,Hangup\n" };

        Assert.False((await dialplan.Commands.PlanImportAsync(Operator, broken, None)).CanImport);
        await Assert.ThrowsAsync<WriteRefusedException>(() => dialplan.Commands.ImportAsync(Operator, broken, None));
        Assert.Equal("", await DialplanServices.RowsAsync(master, first));

        var good = new ImportForm { TenantKey = key, Text = $"[{first}]\nexten => 1,1,Dial(SIP/1,20)\n same => n,Hangup()\n[{second}]\nexten => _2X.,1,Answer\n" };
        var (_, plan) = await dialplan.Commands.ImportAsync(Operator, good, None);

        Assert.Equal([first, second], plan.NewContexts);
        Assert.Equal("1,1,Dial(SIP/1|20)\n1,2,Hangup()", await DialplanServices.RowsAsync(master, first));
        Assert.Equal("_2X.,1,Answer()", await DialplanServices.RowsAsync(master, second));
        Assert.Equal(new[] { first, second }.Order(), (await new TenantDirectory(dialplan.PortalFactory).ContextsOfAsync(key, None)).Order());

        // Again: the contexts exist now, so only an import that replaces them may run.
        await Assert.ThrowsAsync<ValidationException>(() => dialplan.Commands.ImportAsync(Operator, good, None));
        good.ReplaceExisting = true;
        good.Text = $"[{first}]\nexten => 1,1,Playback(replaced)\n";
        await dialplan.Commands.ImportAsync(Operator, good, None);
        Assert.Equal("1,1,Playback(replaced)", await DialplanServices.RowsAsync(master, first));
    }

    [Fact]
    public async Task A_tenant_keeps_one_office_closed_flag_row()
    {
        var key = await dialplan.CreateTenantAsync();
        var (first, second) = (DialplanServices.UniqueContext(), DialplanServices.UniqueContext());
        var form = new NewContextForm { Context = first, TenantKey = key, Template = ContextTemplate.AutoAttendant, ClosedMailbox = "1001@" + key };
        await dialplan.Commands.CreateContextAsync(Operator, form, None);

        form.Context = second;
        var plan = await dialplan.Commands.PlanContextAsync(Operator, form, None);
        Assert.Equal($"{first} {DialplanTemplates.FlagExten},1", plan.FlagRowAt);
        Assert.DoesNotContain(plan.Rows, r => r.App == key);
        await dialplan.Commands.CreateContextAsync(Operator, form, None);
        Assert.Equal(1L, await TestCluster.ScalarAsync(master, $"SELECT COUNT(*) FROM extensions WHERE app = '{key}'"));

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            dialplan.Commands.AddStepAsync(Operator, new StepForm { Context = second, Exten = "flag", Priority = 1, App = key, Appdata = "on" }, None));
        Assert.Contains("flag rows", error.Message);
    }

    [Fact]
    public async Task New_context_templates_are_written_for_the_oldest_Asterisk_declared_on_the_nodes_page()
    {
        var form = new NewContextForm { Context = DialplanServices.UniqueContext(), Template = ContextTemplate.LongDistance, Accountcode = "4242", Trunk = "SIP/trunk" };
        var nodes = Nodes.NodeServices.Commands();
        var row = (await dialplan.Commands.PlanContextAsync(Operator, form, None)).Rows[1];
        Assert.Equal(("Set", "pin_active=${REALTIME_FIELD(pins|pin|4242-${pin}|active)}"), (row.App, row.Appdata));

        // One Asterisk 1.4 node in the cluster, and every node must run what the others run: the applications.
        var old = await nodes.SaveAsync(Nodes.NodeServices.Operator, null,
            new Portal.Web.Features.Nodes.NodeForm { Name = Nodes.NodeServices.UniqueName("old"), ReplicaHost = "127.0.0.1", ReplicaPort = TestCluster.Port + 1, AsteriskVersion = "1.4" }, None);
        try
        {
            row = (await dialplan.Commands.PlanContextAsync(Operator, form, None)).Rows[1];
            Assert.Equal(("RealTime", "pins|pin|4242-${pin}|pin_"), (row.App, row.Appdata));
        }
        finally
        {
            await nodes.DeleteAsync(Nodes.NodeServices.Operator, old, None);
        }
    }

    [Fact]
    public async Task Simulator_follows_the_pattern_order_of_the_asterisk_version()
    {
        var context = DialplanServices.UniqueContext();
        await dialplan.Commands.ImportAsync(Operator, new ImportForm
        {
            Text = $"[{context}]\nexten => _1.,1,Playback(short)\nexten => _1NXXNXXXXXX,1,Playback(long)\nexten => _1NXXNXXXXXX,2,Hangup\n",
        }, None);

        var older = await dialplan.Queries.SimulateAsync(Operator, context, "18005551234", new Version(11, 25), None);
        var newer = await dialplan.Queries.SimulateAsync(Operator, context, "18005551234", RealtimeSwitch.LongestPatternFirstSince, None);

        // ORDER BY exten puts _1. first, so Asterisk before 13.15 answers priority 1 with it; priority 2 is looked up
        // on its own, and only the long pattern has one.
        Assert.Equal(["_1.", "_1NXXNXXXXXX"], older.Steps.Select(s => s.Step.Exten));
        Assert.Equal(["_1NXXNXXXXXX"], older.Steps[0].AlsoMatching);
        Assert.Equal(["_1NXXNXXXXXX", "_1NXXNXXXXXX"], newer.Steps.Select(s => s.Step.Exten));
        Assert.Equal(["_1NXXNXXXXXX", "_1."], newer.Patterns.Select(p => p.Exten));
    }

    private async Task<string> NewContextAsync(string? tenantKey = null)
    {
        var context = DialplanServices.UniqueContext();
        await dialplan.Commands.CreateContextAsync(Operator, new NewContextForm { Context = context, TenantKey = tenantKey }, None);
        return context;
    }

    private async Task<IReadOnlyList<StepRow>> StepsAsync(string context) =>
        (await dialplan.Queries.ContextAsync(Operator, context, null, 0, 50, None)).Extensions.SelectMany(e => e.Steps).Select(s => s.Step).ToList();
}
