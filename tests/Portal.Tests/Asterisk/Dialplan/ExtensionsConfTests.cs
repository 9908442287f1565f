using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Portal.Asterisk;
using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;

namespace Portal.Tests.Asterisk.Dialplan;

public class ExtensionsConfTests
{
    [Fact]
    public void Import_reads_extensions_with_commas_into_pipe_rows()
    {
        var result = ExtensionsConf.Import("""
            [company-a]
            exten => 1234,1,Dial(SIP/1234,20)
            exten => 1234,2,Hangup
            """);

        Assert.Equal(
            [
                new ExtensionRow("company-a", "1234", 1, "Dial", "SIP/1234|20"),
                new ExtensionRow("company-a", "1234", 2, "Hangup", ""),
            ],
            result.Rows);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Import_numbers_n_and_same_after_the_previous_priority()
    {
        var result = ExtensionsConf.Import("""
            [office]
            exten => _1XXX,1,Answer()
            exten => _1XXX,n,Wait(1)
            same => n,VoiceMail(${EXTEN}@default,u)
            """);

        Assert.Equal([1, 2, 3], result.Rows.Select(r => r.Priority));
        Assert.All(result.Rows, r => Assert.Equal("_1XXX", r.Exten));
        Assert.Equal("${EXTEN}@default|u", result.Rows[2].Appdata);
    }

    [Fact]
    public void Import_drops_a_label_with_a_warning()
    {
        var result = ExtensionsConf.Import("""
            [office]
            exten => 100,1(start),Answer()
            same => n(again),Playback(hello)
            """);

        Assert.Equal([1, 2], result.Rows.Select(r => r.Priority));
        Assert.Equal([2, 3], result.Notes.Select(n => n.Line));
        Assert.All(result.Notes, n => Assert.Equal(Severity.Warning, n.Severity));
    }

    [Fact]
    public void Import_reports_hints_includes_and_switches_without_importing_them()
    {
        var result = ExtensionsConf.Import("""
            [office]
            include => parkedcalls
            switch => Realtime/office@extensions
            exten => 100,hint,SIP/100
            exten => 100,1,Dial(SIP/100)
            """);

        Assert.Equal("SIP/100", Assert.Single(result.Rows).Appdata);
        Assert.Equal([2, 3, 4], result.Notes.Select(n => n.Line));
        Assert.Equal(Severity.Info, result.Notes[2].Severity);
    }

    [Fact]
    public void Import_ignores_comments_and_keeps_escaped_semicolons_as_text()
    {
        var result = ExtensionsConf.Import("""
            ; the office
            [office] ; context
            exten => 100,1,NoOp(hello) ; greet
            """);

        Assert.Equal("hello", Assert.Single(result.Rows).Appdata);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Import_stores_a_quoted_comma_as_the_pipe_a_1_6_to_11_node_runs_as_that_comma()
    {
        var result = ExtensionsConf.Import("""
            [office]
            exten => 100,1,Set(msg="Hello, world")
            """);

        Assert.Equal("msg=\"Hello| world\"", Assert.Single(result.Rows).Appdata);
        Assert.Equal("msg=\"Hello, world\"", AppdataArguments.AsRun(result.Rows[0].Appdata));
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Import_keeps_expressions_and_converts_nested_function_commas()
    {
        var result = ExtensionsConf.Import("""
            [office]
            exten => 100,1,GotoIf($[${A} = 1 | ${B} = 2]?yes,1)
            exten => 100,2,Set(cid=${CUT(CALLERID(num),-,1)})
            """);

        Assert.Equal(["$[${A} = 1 | ${B} = 2]?yes|1", "cid=${CUT(CALLERID(num)|-|1)}"], result.Rows.Select(r => r.Appdata));
    }

    [Fact]
    public void Import_warns_of_a_function_call_inside_an_expression()
    {
        var result = ExtensionsConf.Import("""
            [office]
            exten => 100,1,GotoIf($[${CUT(foo,-,1)} = 1]?yes)
            """);

        Assert.Empty(result.Rows);
        Assert.Contains(result.Notes, n => n.Severity == Severity.Error && n.Message.Contains("$[ ]"));
    }

    [Fact]
    public void Import_reports_errors_by_line_number()
    {
        var result = ExtensionsConf.Import("""
            exten => 1,1,NoOp()
            [office]
            exten => 1
            exten => _[12,1,NoOp()
            exten => 1,n,NoOp()
            exten => 1,x,NoOp()
            exten => 1,200,NoOp()
            exten => 1,1,
            frobnicate => 1
            exten => 1,1,Dail(SIP/1)
            exten => 1,2,ThisApplicationNameIsTooLong()
            """);

        Assert.Equal([1, 3, 4, 5, 6, 7, 8, 9, 11], result.Notes.Where(n => n.Severity == Severity.Error).Select(n => n.Line));
        var typo = Assert.Single(result.Notes, n => n.Line == 10);
        Assert.Contains("Dial", typo.Message);
        Assert.Equal("Dail", Assert.Single(result.Rows).App);
    }

    [Fact]
    public void Import_refuses_a_priority_defined_twice()
    {
        var result = ExtensionsConf.Import("""
            [office]
            exten => t,1,Hangup()
            exten => T,1,Playback(goodbye)
            """);

        Assert.Equal("t", Assert.Single(result.Rows).Exten);
        var note = Assert.Single(result.Notes, n => n.Severity == Severity.Error);
        Assert.Equal(3, note.Line);
        Assert.Contains("line 2", note.Message);
    }

    [Fact]
    public void Import_skips_settings_sections()
    {
        var result = ExtensionsConf.Import("""
            [general]
            static=yes
            [globals]
            TRUNK=SIP/provider
            [office]
            exten => 1,1,Dial(${TRUNK}/1)
            """);

        Assert.Single(result.Rows);
        Assert.Equal([1, 3], result.Notes.Select(n => n.Line));
        Assert.All(result.Notes, n => Assert.Equal(Severity.Info, n.Severity));
    }

    [Fact]
    public void Export_writes_commas_between_arguments()
    {
        ExtensionRow[] rows =
        [
            new("office", "1234", 1, "Dial", "SIP/1234|20|tr"),
            new("office", "1234", 2, "GotoIf", "$[${A} = 1 | ${B} = 2]?yes|1"),
            new("office", "1234", 3, "Hangup", ""),
        ];

        Assert.Equal("""
            [office]
            exten => 1234,1,Dial(SIP/1234,20,tr)
            exten => 1234,2,GotoIf($[${A} = 1 | ${B} = 2]?yes,1)
            exten => 1234,3,Hangup()

            """.ReplaceLineEndings("\n"), ExtensionsConf.Export("office", rows));
    }

    [Fact]
    public void Export_refuses_a_row_of_another_context()
    {
        Assert.Throws<ArgumentException>(() => ExtensionsConf.Export("office", [new ExtensionRow("home", "1", 1, "NoOp", "")]));
    }

    private static readonly Gen<ExtensionRow> Row =
        from exten in Gen.OneOf(DialplanGen.Pattern, Gen.Choose(100, 99999).Select(n => n.ToString()), Gen.Elements(Exten.SpecialNames.ToArray()))
        from priority in Gen.Choose(1, ExtensionRow.MaxPriority)
        from app in Gen.Elements(ApplicationCatalog.All.Where(a => a.Name.Length <= ExtensionRow.MaxAppLength).Select(a => a.Name).ToArray())
        from appdata in DialplanGen.PipeAppdata
        select new ExtensionRow("company-a", exten, priority, app, appdata);

    // A table holds each exten and priority once, and the database compares extens without case.
    private static readonly Gen<ExtensionRow[]> Table =
        Gen.ListOf(Row).Select(rows => rows.DistinctBy(r => (r.Exten.ToLowerInvariant(), r.Priority)).ToArray());

    [Property]
    public Property Import_reads_back_what_export_wrote() =>
        Prop.ForAll(Table.ToArbitrary(), rows =>
            ExtensionsConf.Import(ExtensionsConf.Export("company-a", rows)).Rows.SequenceEqual(rows));

    [Fact]
    public void RealtimeStanza_is_what_a_node_needs_to_find_a_database_context()
    {
        Assert.Equal("[company-c]\nswitch => Realtime/@\n", ExtensionsConf.RealtimeStanza("company-c"));
    }

    [Fact]
    public void Import_refuses_a_context_name_no_node_could_switch_to_realtime()
    {
        var result = ExtensionsConf.Import("[a@b]\nexten => 1,1,Hangup\n");

        Assert.Empty(result.Rows);
        Assert.Contains(result.Notes, n => n.Line == 1 && n.Severity == Severity.Error && n.Message.Contains("'@'"));
    }

    [Fact]
    public void An_exported_auto_attendant_imports_back_to_the_same_rows_flag_row_included()
    {
        var rows = DialplanTemplates.AutoAttendant("company-a", "company-a", "1001@company-a", AsteriskFamily.Default);

        var result = ExtensionsConf.Import(ExtensionsConf.Export("company-a", rows));

        Assert.Equal(rows, result.Rows);
        Assert.DoesNotContain(result.Notes, n => n.Severity == Severity.Error);
    }
}
