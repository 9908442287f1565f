using Portal.IntegrationTests;

namespace Portal.BrowserTests.Pins;

/// <summary>Issue 17: the operator's PIN export trusted ?tenant=, in the audit log and raw in Content-Disposition.</summary>
[Collection(PortalCollection.Name)]
public sealed class PinExportTamperTests(PortalServer portal)
{
    private static Task<object?> AuditedAsync(string key) =>
        TestCluster.ScalarAsync(TestCluster.Database().AsteriskConnectionString, $"SELECT COUNT(*) FROM portal.audit_log WHERE row_key = 'company={key}'");

    [Theory]
    [InlineData("no-such-tenant")]
    [InlineData("x\"; filename=evil.html")]
    [InlineData("x%0d%0aSet-Cookie: a=b")]
    [InlineData("soci%C3%A9t%C3%A9")]
    public async Task An_unknown_or_crafted_tenant_key_gets_a_clear_404_and_no_audit_row(string key)
    {
        var page = await portal.SignInAsync("operator@example.test");

        var export = await page.APIRequest.GetAsync("/pins/export.csv?tenant=" + key.Replace("\"", "%22").Replace(" ", "%20").Replace(";", "%3B"));

        Assert.Equal(404, export.Status);
        Assert.Contains("no such tenant", await export.TextAsync());
        Assert.False(export.Headers.ContainsKey("content-disposition"));
        Assert.Equal(0L, await AuditedAsync(Uri.UnescapeDataString(key)));
    }

    [Fact]
    public async Task A_known_tenants_file_name_is_encoded_by_the_headers_rules()
    {
        var page = await portal.SignInAsync("operator@example.test");

        var export = await page.APIRequest.GetAsync("/pins/export.csv?tenant=company-b");

        Assert.Equal(200, export.Status);
        Assert.Equal("attachment; filename=pins-company-b.csv; filename*=UTF-8''pins-company-b.csv", export.Headers["content-disposition"]);
    }
}
