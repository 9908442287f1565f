using Portal.Asterisk;
using Portal.Asterisk.Dialplan;

namespace Portal.Tests.Asterisk.Dialplan;

public class StepCheckTests
{
    private static readonly IReadOnlySet<string> Tenants = new HashSet<string>(["company-a"], StringComparer.OrdinalIgnoreCase);

    private static ExtensionRow Step(string app, string appdata = "", string exten = "1001", int priority = 1, string context = "company-a") =>
        new(context, exten, priority, app, appdata);

    [Fact]
    public void Check_finds_nothing_in_a_good_step()
    {
        Assert.Empty(StepCheck.Check(Step("Dial", "SIP/1001|20|tr"), Tenants));
    }

    [Fact]
    public void Check_refuses_an_argument_comma_in_appdata()
    {
        var finding = Assert.Single(StepCheck.Check(Step("Dial", "SIP/1001,20"), Tenants));

        Assert.Equal(StepField.Appdata, finding.Field);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("at 9:", finding.Message);
        Assert.Contains("|", finding.Message);
    }

    [Fact]
    public void Check_leaves_the_length_to_the_database_column()
    {
        Assert.Empty(StepCheck.Check(Step("Playback", new string('a', 200)), Tenants));
    }

    [Fact]
    public void Check_warns_of_an_unknown_application_with_a_suggestion()
    {
        var finding = Assert.Single(StepCheck.Check(Step("Gotof", "closed|1"), Tenants));

        Assert.Equal(StepField.App, finding.Field);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("did you mean GotoIf", finding.Message);
    }

    [Fact]
    public void Check_calls_an_app_equal_to_a_tenant_key_its_flag_row_not_an_unknown_application()
    {
        var finding = Assert.Single(StepCheck.Check(Step("Company-A", "off", DialplanTemplates.FlagExten), Tenants), f => f.Field == StepField.App);

        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("flag row of tenant company-a", finding.Message);
        Assert.Equal("company-a", StepCheck.FlagKey("COMPANY-A", Tenants));
        Assert.Null(StepCheck.FlagKey("Dial", Tenants));
    }

    [Theory]
    [InlineData("Dial(", "not an application name")]
    [InlineData("", "needs an application")]
    public void Check_refuses_a_missing_or_malformed_application(string app, string expected)
    {
        var finding = Assert.Single(StepCheck.Check(Step(app), Tenants));

        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains(expected, finding.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    public void Check_refuses_a_priority_outside_the_tinyint(int priority)
    {
        var finding = Assert.Single(StepCheck.Check(Step("Hangup", priority: priority), Tenants));

        Assert.Equal(StepField.Priority, finding.Field);
        Assert.Equal(Severity.Error, finding.Severity);
    }

    [Fact]
    public void Check_names_the_field_of_exten_and_context_problems()
    {
        var findings = StepCheck.Check(Step("Hangup", exten: "_1X.X", context: "a b"), Tenants);

        Assert.Contains(findings, f => f is { Field: StepField.Exten, Severity: Severity.Error });
        Assert.Contains(findings, f => f is { Field: StepField.Context, Severity: Severity.Error });
    }

    [Fact]
    public void CheckExtensions_accepts_consecutive_priorities_from_1()
    {
        Assert.Empty(StepCheck.CheckExtensions([Step("Answer"), Step("Hangup", priority: 2), Step("Answer", exten: "s")]));
    }

    [Fact]
    public void CheckExtensions_refuses_an_extension_without_priority_1()
    {
        var finding = Assert.Single(StepCheck.CheckExtensions([Step("Answer", priority: 2), Step("Hangup", priority: 3)]));

        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("no priority 1", finding.Message);
    }

    [Fact]
    public void CheckExtensions_refuses_a_priority_twice_comparing_without_case_as_the_key_does()
    {
        var finding = Assert.Single(StepCheck.CheckExtensions([Step("Answer", exten: "t"), Step("Hangup", exten: "T")]));

        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("priority 1 of t is there 2 times", finding.Message);
    }

    [Fact]
    public void CheckExtensions_warns_of_a_gap_where_a_call_stops()
    {
        var finding = Assert.Single(StepCheck.CheckExtensions([Step("Answer"), Step("Wait", "1", priority: 2), Step("Hangup", priority: 5)]));

        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("no priority 3: a call stops after 2", finding.Message);
    }
}
