namespace Portal.BrowserTests.Audit;

[Collection(PortalCollection.Name)]
public sealed class AuditPageTests(PortalServer portal)
{
    [Fact]
    public async Task Operator_reads_the_audit_log_with_secrets_masked()
    {
        var page = await portal.SignInAsync("operator@example.test");
        await page.GotoAsync("/audit");
        await PortalServer.WaitForCircuitAsync(page);

        await page.GetByPlaceholder("User, action, table or key").FillAsync("demo-seed");
        var grid = page.GetByTestId("audit-grid");
        await Assertions.Expect(grid).ToContainTextAsync("seed demo");
        await Assertions.Expect(grid).ToContainTextAsync("\"pin\":\"********\"");
    }

    [Fact]
    public async Task Tenant_admin_sees_only_the_entries_of_their_tenant()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        await Portal.IntegrationTests.TestCluster.RootSqlAsync("master",
            "INSERT INTO portal.audit_log (at, user_name, tenant_key, action, table_name, row_key) VALUES " +
            $"(UTC_TIMESTAMP(), 'admin@company-a.test', 'company-a', 'edit pin', 'pins', 'a-{marker}'), " +
            $"(UTC_TIMESTAMP(), 'admin@company-b.test', 'company-b', 'edit pin', 'pins', 'b-{marker}')");
        var page = await portal.SignInAsync("admin@company-a.test");
        await page.GotoAsync("/audit");
        await PortalServer.WaitForCircuitAsync(page);

        var grid = page.GetByTestId("audit-grid");
        await Assertions.Expect(grid).ToContainTextAsync("a-" + marker);
        await Assertions.Expect(grid).Not.ToContainTextAsync("b-" + marker);
        await Assertions.Expect(grid).Not.ToContainTextAsync("demo-seed");
        await Assertions.Expect(grid).Not.ToContainTextAsync("seed demo");
    }
}
