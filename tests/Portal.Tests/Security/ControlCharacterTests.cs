using Portal.Asterisk.Dialplan;
using Portal.Asterisk.Nodes;
using Portal.Tests.Nodes;
using Portal.Web.Features.Tenants;

namespace Portal.Tests.Security;

/// <summary>Issue 17: no value with a control character is stored; .NET's '$' lets a final LF through, '\z' does not.</summary>
public class ControlCharacterTests
{
    [Theory]
    [InlineData("company-a\n")]
    [InlineData("company-a\r")]
    [InlineData("company\0")]
    public void A_tenant_key_with_a_trailing_line_break_is_refused(string key)
    {
        Assert.Contains(new TenantFormValidator().Validate(new TenantForm { Key = key, Name = "Company", Contexts = "company-a" }).Errors, e => e.PropertyName == "Key");
    }

    [Fact]
    public void A_tenant_name_with_a_line_break_is_refused()
    {
        Assert.Contains(new TenantFormValidator().Validate(new TenantForm { Key = "company-a", Name = "Company\r\nBcc: x", Contexts = "company-a" }).Errors,
            e => e.ErrorMessage.Contains("line break"));
    }

    [Theory]
    [InlineData("node-1\n")]
    [InlineData("node-1\r\n")]
    public void A_node_name_with_a_trailing_line_feed_is_refused(string name)
    {
        Assert.False(NodeSpec.IsNodeName(name));
    }

    [Fact]
    public void A_tab_in_an_imported_extensions_conf_is_stored_as_a_space_and_said()
    {
        var import = ExtensionsConf.Import("[company-a]\n\texten => s,1,Playback(hello\tworld)\n");

        Assert.Equal("hello world", import.Rows.Single().Appdata);
        Assert.Contains(import.Notes, n => n.Line == 2 && n.Message.Contains("TAB"));
    }

    [Fact]
    public void Another_control_character_in_an_imported_line_is_an_error()
    {
        var import = ExtensionsConf.Import("[company-a]\nexten => s,1,Playback(hello\u0001)\n");

        Assert.Empty(import.Rows);
        Assert.Contains(import.Notes, n => n.Line == 2 && n.Severity == Portal.Asterisk.Severity.Error);
    }

    [Fact]
    public void A_node_file_never_gains_a_line_from_a_context_name()
    {
        var spec = SampleNode.Spec() with { Contexts = ["company-a", "evil\u000b[x]", "ok\u0085"] };

        var text = AsteriskFiles.ExtensionsConf(spec);

        Assert.DoesNotContain("\u000b", text);
        Assert.DoesNotContain("\u0085", text);
        Assert.Contains("[company-a]\n", text);
    }
}
