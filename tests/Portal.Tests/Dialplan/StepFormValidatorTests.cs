using Portal.Asterisk;
using Portal.Asterisk.Dialplan;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;

namespace Portal.Tests.Dialplan;

public class StepFormValidatorTests
{
    private static readonly IReadOnlySet<string> Tenants = new HashSet<string>(["company-a"], StringComparer.OrdinalIgnoreCase);
    private readonly StepFormValidator validator = new(RealtimeSchema.FromMigration());

    private static StepForm Step(string app, string appdata, string exten = "1001", int priority = 1) =>
        new() { Context = "company-a", Exten = exten, Priority = priority, App = app, Appdata = appdata };

    [Fact]
    public void Accepts_a_Dial_step_with_pipes()
    {
        Assert.True(validator.Validate(Step("Dial", "SIP/1001|20|tr")).IsValid);
    }

    [Fact]
    public void Save_rejects_comma_in_appdata()
    {
        var result = validator.Validate(Step("Dial", "SIP/1001,20,tr"));

        Assert.Equal(["Appdata", "Appdata"], result.Errors.Select(e => e.PropertyName));
        Assert.All(result.Errors, e => Assert.Contains("separate arguments with |", e.ErrorMessage));
    }

    [Fact]
    public void Save_rejects_a_semicolon_the_realtime_driver_would_split_at()
    {
        Assert.Contains("^3B", Assert.Single(validator.Validate(Step("Set", "x=a;b")).Errors).ErrorMessage);
    }

    [Fact]
    public void Save_rejects_appdata_longer_than_the_connected_column_naming_its_real_size()
    {
        var narrow = new RealtimeSchema(new Dictionary<(string, string), int>
        {
            [("extensions", "context")] = 20,
            [("extensions", "exten")] = 20,
            [("extensions", "app")] = 20,
            [("extensions", "appdata")] = 64,
        });

        var error = Assert.Single(new StepFormValidator(narrow).Validate(Step("Playback", new string('a', 65))).Errors);

        Assert.Equal("Appdata", error.PropertyName);
        Assert.Contains("varchar(64)", error.ErrorMessage);
        Assert.Contains("65 characters", error.ErrorMessage);
        Assert.True(validator.Validate(Step("Playback", new string('a', 128))).IsValid);
    }

    [Theory]
    [InlineData("Exten", "_1X.X", 1, "Hangup")]
    [InlineData("Exten", "1234567890123456789012", 1, "Hangup")]
    [InlineData("Priority", "1001", 0, "Hangup")]
    [InlineData("Priority", "1001", 128, "Hangup")]
    [InlineData("App", "1001", 1, "Dial(SIP")]
    [InlineData("App", "1001", 1, "ThisApplicationNameIsTooLong")]
    public void Save_rejects_a_step_Asterisk_or_the_table_cannot_take(string field, string exten, int priority, string app)
    {
        var result = validator.Validate(Step(app, "", exten, priority));

        Assert.Contains(result.Errors, e => e.PropertyName == field);
    }

    [Fact]
    public void Warnings_never_stop_a_write_but_are_part_of_the_findings()
    {
        var step = Step("Gotof", "$[${CUT(x|-|1)} = 1]?2");

        Assert.True(validator.Validate(step).IsValid);
        var findings = validator.Findings(step.ToRow(), Tenants, Portal.Asterisk.Nodes.AsteriskFamily.Default);
        Assert.Contains(findings, f => f is { Field: StepField.App, Severity: Severity.Warning } && f.Message.Contains("GotoIf"));
        Assert.Contains(findings, f => f is { Field: StepField.Appdata, Severity: Severity.Warning } && f.Message.Contains("Set(cut="));
    }

    [Fact]
    public void Findings_put_the_errors_that_stop_a_write_under_their_field()
    {
        var findings = validator.Findings(new ExtensionRow("company-a", "1001", 1, "Dial", "SIP/1,20"), Tenants, Portal.Asterisk.Nodes.AsteriskFamily.Default);

        var finding = Assert.Single(findings);
        Assert.Equal(StepField.Appdata, finding.Field);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void A_flag_row_is_a_valid_step()
    {
        var flag = Step("company-a", "off", DialplanTemplates.FlagExten);

        Assert.True(validator.Validate(flag).IsValid);
        Assert.DoesNotContain(validator.Findings(flag.ToRow(), Tenants, Portal.Asterisk.Nodes.AsteriskFamily.Default), f => f.Field == StepField.App && f.Severity != Severity.Info);
    }

    [Fact]
    public void Findings_report_the_same_errors_as_the_form_in_every_field()
    {
        // Errors in every field at once: the rules share one check of the step, each reports its own part once.
        var step = new StepForm { Context = "bad context", Exten = "", Priority = 0, App = "Dial!", Appdata = "SIP/1,20" };

        var findings = validator.Findings(step.ToRow(), Tenants, Portal.Asterisk.Nodes.AsteriskFamily.Default).Where(f => f.Severity == Severity.Error).ToList();

        var errors = validator.Validate(step).Errors;
        Assert.Equal(errors.Select(e => (e.PropertyName, e.ErrorMessage)), findings.Select(f => (f.Field.ToString(), f.Message)));
        Assert.Equal(["Context", "Exten", "Priority", "App", "Appdata"], errors.Select(e => e.PropertyName).Distinct());
    }
}
