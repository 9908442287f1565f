using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;

namespace Portal.Tests.Dialplan;

public class ContextFormTests
{
    private static readonly RealtimeSchema Schema = RealtimeSchema.FromMigration();

    [Fact]
    public void A_context_name_must_fit_the_connected_context_column()
    {
        var result = new ContextNameFormValidator(Schema).Validate(new ContextNameForm { Context = "a-context-of-21-chars" });

        Assert.Contains("varchar(20)", Assert.Single(result.Errors).ErrorMessage);
    }

    [Theory]
    [InlineData("general")]
    [InlineData("sales dept")]
    [InlineData("")]
    public void A_context_name_follows_the_Asterisk_rules(string name)
    {
        Assert.False(new ContextNameFormValidator(Schema).Validate(new ContextNameForm { Context = name }).IsValid);
    }

    [Fact]
    public void The_auto_attendant_needs_its_tenant_and_the_mailbox_for_closed_hours()
    {
        var validator = new NewContextFormValidator(Schema);
        var form = new NewContextForm { Context = "company-c", Template = ContextTemplate.AutoAttendant };

        Assert.Equal(["TenantKey", "ClosedMailbox"], validator.Validate(form).Errors.Select(e => e.PropertyName));
        form.TenantKey = "company-c";
        form.ClosedMailbox = "3001@company-c";
        Assert.True(validator.Validate(form).IsValid);
    }

    [Fact]
    public void Each_template_makes_the_rows_of_the_shared_templates()
    {
        var form = new NewContextForm { Context = "company-c", TenantKey = "company-c", ClosedMailbox = "3001@company-c", Accountcode = "3333", Device = "SIP/c-3001", Mailbox = "3001@company-c", Exten = "3001" };

        form.Template = ContextTemplate.AutoAttendant;
        Assert.Equal(DialplanTemplates.AutoAttendant("company-c", "company-c", "3001@company-c", AsteriskFamily.Default), form.Rows(AsteriskFamily.Default, withFlagRow: true));
        form.Template = ContextTemplate.LongDistance;
        Assert.Equal(DialplanTemplates.LongDistance("company-c", "3333", "SIP/trunk", AsteriskFamily.Default), form.Rows(AsteriskFamily.Default, withFlagRow: true));
        form.Template = ContextTemplate.DirectDial;
        Assert.Equal(DialplanTemplates.DirectDial("company-c", "3001", "SIP/c-3001", "3001@company-c"), form.Rows(AsteriskFamily.Default, withFlagRow: true));
        form.Template = ContextTemplate.FirstStep;
        form.App = "Answer";
        Assert.Equal([new ExtensionRow("company-c", "3001", 1, "Answer", "")], form.Rows(AsteriskFamily.Default, withFlagRow: true));
    }
}
