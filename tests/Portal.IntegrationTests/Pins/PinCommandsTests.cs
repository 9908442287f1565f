using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Data;
using Portal.Web.Features.Pins;
using Xunit.Abstractions;

namespace Portal.IntegrationTests.Pins;

[Collection(ClusterCollection.Name)]
public sealed class PinCommandsTests(ITestOutputHelper output) : IDisposable
{
    private readonly ServiceProvider services = TestTenants.Services();

    private PinCommands Pins => services.GetRequiredService<PinCommands>();

    public void Dispose() => services.Dispose();

    [Fact]
    public async Task Added_pin_is_stored_with_the_accountcode_on_both_replicas_and_masked_in_the_audit()
    {
        var tenant = await TestTenants.CreateAsync(services);

        var result = await Pins.AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = "482913" }, CancellationToken.None);

        var stored = $"{tenant.Accountcode}-482913";
        Assert.Equal([1L, 1L], await TestTenants.OnReplicasAsync(result, $"SELECT COUNT(*) FROM asteriskdb.pins WHERE company = '{tenant.Key}' AND pin = '{stored}' AND active = 'yes'"));
        var audit = (string?)await TestTenants.OnMasterAsync($"SELECT new_values FROM portal.audit_log WHERE action = 'add pin' AND new_values LIKE '%{tenant.Key}%'");
        Assert.NotNull(audit);
        Assert.DoesNotContain("482913", audit);
        Assert.Contains(AuditChange.Masked, audit);
    }

    [Fact]
    public async Task Deactivate_edit_and_delete_reach_both_replicas_and_an_edit_without_digits_keeps_the_pin()
    {
        var tenant = await TestTenants.CreateAsync(services);
        await Pins.AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = "1234" }, CancellationToken.None);
        var id = Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT id FROM pins WHERE company = '{tenant.Key}'"));

        var deactivated = await Pins.SetActiveAsync(tenant.Admin, id, false, CancellationToken.None);
        Assert.Equal(["no", "no"], await TestTenants.OnReplicasAsync(deactivated, $"SELECT active FROM asteriskdb.pins WHERE id = {id}"));

        var kept = await Pins.EditAsync(tenant.Admin, id, new PinForm { Digits = "", Active = true }, CancellationToken.None);
        Assert.Equal([$"{tenant.Accountcode}-1234", $"{tenant.Accountcode}-1234"], await TestTenants.OnReplicasAsync(kept, $"SELECT pin FROM asteriskdb.pins WHERE id = {id} AND active = 'yes'"));

        var changed = await Pins.EditAsync(tenant.Admin, id, new PinForm { Digits = "98765", Active = true }, CancellationToken.None);
        Assert.Equal([$"{tenant.Accountcode}-98765", $"{tenant.Accountcode}-98765"], await TestTenants.OnReplicasAsync(changed, $"SELECT pin FROM asteriskdb.pins WHERE id = {id}"));
        Assert.Equal($"{tenant.Accountcode}-98765", await Pins.RevealAsync(tenant.Admin, id, CancellationToken.None));

        var deleted = await Pins.DeleteAsync(tenant.Admin, id, CancellationToken.None);
        Assert.Equal([0L, 0L], await TestTenants.OnReplicasAsync(deleted, $"SELECT COUNT(*) FROM asteriskdb.pins WHERE id = {id}"));
    }

    [Fact]
    public async Task The_same_pin_twice_in_a_company_is_refused()
    {
        var tenant = await TestTenants.CreateAsync(services);
        await Pins.AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = "5555" }, CancellationToken.None);

        await Assert.ThrowsAsync<WriteRefusedException>(() => Pins.AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = "5555" }, CancellationToken.None));
        Assert.Equal(1L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM pins WHERE company = '{tenant.Key}'"));
    }

    [Fact]
    public async Task A_tenant_admin_reaches_no_pin_of_another_tenant_and_every_attempt_is_audited()
    {
        var a = await TestTenants.CreateAsync(services);
        var b = await TestTenants.CreateAsync(services);
        await Pins.AddAsync(b.Admin, b.Key, new PinForm { Digits = "7777" }, CancellationToken.None);
        var id = Convert.ToInt32(await TestTenants.OnMasterAsync($"SELECT id FROM pins WHERE company = '{b.Key}'"));
        var before = await TestTenants.DenialsAsync(a.Admin);
        var none = CancellationToken.None;

        Func<Task>[] attempts =
        [
            () => Pins.GetAsync(a.Admin, id, none),
            () => Pins.RevealAsync(a.Admin, id, none),
            () => Pins.EditAsync(a.Admin, id, new PinForm { Digits = "1111", Active = false }, none),
            () => Pins.SetActiveAsync(a.Admin, id, false, none),
            () => Pins.DeleteAsync(a.Admin, id, none),
            () => Pins.PageAsync(a.Admin, new PinFilter(b.Key), false, KeysetRequest.First(25), none),
            () => Pins.CountAsync(a.Admin, new PinFilter(b.Key), none),
            () => Pins.AddAsync(a.Admin, b.Key, new PinForm { Digits = "2468" }, none),
            () => Pins.GenerateAsync(a.Admin, b.Key, new PinGenerateForm { Count = 5, Length = 6 }, none),
            () => Pins.ImportAsync(a.Admin, b.Key, "pin,active\n13579,yes\n", dryRun: false, none),
            () => Pins.ExportAsync(a.Admin, b.Key, none),
        ];
        foreach (var attempt in attempts)
        {
            await Assert.ThrowsAsync<AccessDeniedException>(attempt);
        }

        Assert.Equal(before + attempts.Length, await TestTenants.DenialsAsync(a.Admin));
        Assert.Equal($"{b.Accountcode}-7777|yes", await TestTenants.OnMasterAsync($"SELECT GROUP_CONCAT(pin, '|', active) FROM pins WHERE company = '{b.Key}'"));
        Assert.Empty(await Pins.PageAsync(a.Admin, new PinFilter(), false, KeysetRequest.First(25), none));
        Assert.DoesNotContain(await Pins.TenantsAsync(a.Admin, none), t => t.Key == b.Key);
    }

    [Fact]
    public async Task Lists_show_pins_masked_and_search_by_digit_prefix()
    {
        var tenant = await TestTenants.CreateAsync(services);
        foreach (var digits in new[] { "12345", "12399", "55555" })
        {
            await Pins.AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = digits }, CancellationToken.None);
        }

        var all = await Pins.PageAsync(tenant.Admin, new PinFilter(), false, KeysetRequest.First(25), CancellationToken.None);
        var found = await Pins.PageAsync(tenant.Admin, new PinFilter(Search: "123"), false, KeysetRequest.First(25), CancellationToken.None);
        // An operator's list of every tenant searches the stored value: the accountcode, then the digits.
        var everywhere = await Pins.PageAsync(TestTenants.Operator, new PinFilter(Search: tenant.Accountcode + "-123"), false, KeysetRequest.First(25), CancellationToken.None);

        Assert.Equal(new CappedCount(3, true), await Pins.CountAsync(tenant.Admin, new PinFilter(), CancellationToken.None));
        Assert.Equal(3, all.Count);
        Assert.All(all, r => Assert.Equal($"{tenant.Accountcode}-••••", r.Row.Masked));
        Assert.Equal(new CappedCount(2, true), await Pins.CountAsync(tenant.Admin, new PinFilter(Search: "123"), CancellationToken.None));
        Assert.Equal(found.Select(r => r.Row.Id), everywhere.Select(r => r.Row.Id));
        Assert.Equal(2, found.Count);
    }

    [Fact]
    public async Task Generated_pins_are_new_unique_digits_in_the_stored_form_and_the_audit_holds_only_a_count()
    {
        var tenant = await TestTenants.CreateAsync(services);
        await Pins.AddAsync(tenant.Admin, tenant.Key, new PinForm { Digits = "0000" }, CancellationToken.None);

        var made = await Pins.GenerateAsync(tenant.Admin, tenant.Key, new PinGenerateForm { Count = 200, Length = 4 }, CancellationToken.None);

        Assert.Equal(200, made.Pins.Distinct().Count());
        Assert.All(made.Pins, p => Assert.Matches($"^{tenant.Accountcode}-[0-9]{{4}}$", p));
        Assert.DoesNotContain($"{tenant.Accountcode}-0000", made.Pins);
        Assert.Equal([201L, 201L], await TestTenants.OnReplicasAsync(made.Result, $"SELECT COUNT(*) FROM asteriskdb.pins WHERE company = '{tenant.Key}'"));
        var audit = (string)(await TestTenants.OnMasterAsync($"SELECT new_values FROM portal.audit_log WHERE action = 'generate pins' AND row_key = 'company={tenant.Key}'"))!;
        Assert.Contains("\"generated\":200", audit);
        Assert.DoesNotContain(PinCodes.DigitsOf(made.Pins[0]), audit);
    }

    [Fact]
    public async Task An_import_with_one_bad_line_imports_nothing()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var csv = $"pin,active\n1234,yes\n{tenant.Accountcode}-5678,no\n12a4,yes\n1234,no\n9999-4321,yes\n";

        var report = (await Pins.ImportAsync(tenant.Admin, tenant.Key, csv, dryRun: true, CancellationToken.None)).Report;

        Assert.Equal(5, report.Lines);
        Assert.Equal([4, 5, 6], report.Problems.Select(p => p.Line));
        Assert.False(report.CanImport);
        await Assert.ThrowsAsync<WriteRefusedException>(() => Pins.ImportAsync(tenant.Admin, tenant.Key, csv, dryRun: false, CancellationToken.None));
        Assert.Equal(0L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM pins WHERE company = '{tenant.Key}'"));
    }

    /// <summary>
    /// Production scale: 100,000 PINs imported (dry run, then for real) as a hundred multi-row INSERTs, 100,000 more
    /// generated, and the company's first and last pages of 200,000 served by the (company, pin) index: each page reads
    /// about its own rows, never the company's 200,000. Work done, not time taken (the benchmarks time it).
    /// </summary>
    [Fact]
    public async Task Import_of_100000_pins_is_set_based_all_or_nothing_and_a_200000_pin_company_pages_by_index()
    {
        var tenant = await TestTenants.CreateAsync(services);
        var csv = new StringBuilder(PinCsv.Header).Append('\n');
        var digits = Enumerable.Range(0, 100_000).Select(i => (10_000_000 + i * 7).ToString()).ToList();
        foreach (var d in digits)
        {
            csv.Append(d).Append(d.EndsWith('0') ? ",no\n" : ",yes\n");
        }

        var (dry, dryRun) = await ServerWork.MeasureAsync(() => Pins.ImportAsync(tenant.Admin, tenant.Key, csv.ToString(), dryRun: true, CancellationToken.None));
        var (imported, import) = await ServerWork.MeasureAsync(() => Pins.ImportAsync(tenant.Admin, tenant.Key, csv.ToString(), dryRun: false, CancellationToken.None));
        output.WriteLine($"100,000 PINs: dry run {dryRun}; import {import}");

        Assert.Equal(100_000, dry.Report.ToAdd);
        Assert.Equal(0, dryRun.Inserts);
        Assert.Equal(100_000, imported.Report.ToAdd);
        // One INSERT per thousand PINs and the audit row's: set-based, not a statement per PIN.
        Assert.InRange(import.Inserts, 100, 102);
        Assert.True(import.Statements < 200, $"the import sent {import}");
        Assert.Equal([100_000L, 100_000L], await TestTenants.OnReplicasAsync(imported.Result!, $"SELECT COUNT(*) FROM asteriskdb.pins WHERE company = '{tenant.Key}'"));
        Assert.Equal(10_000L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM pins WHERE company = '{tenant.Key}' AND active = 'no'"));

        var (reimport, reimportWork) = await ServerWork.MeasureAsync(() => Pins.ImportAsync(tenant.Admin, tenant.Key, csv.ToString().Replace(",no\n", ",yes\n"), dryRun: false, CancellationToken.None));
        output.WriteLine($"re-import changing 10,000 active flags: {reimportWork}");
        Assert.Equal((0, 10_000, 90_000), (reimport.Report.ToAdd, reimport.Report.ToChange, reimport.Report.Unchanged));
        // The 10,000 changes are ten UPDATEs of a thousand ids each.
        Assert.True(reimportWork.Statements < 200, $"the re-import sent {reimportWork}");

        var (generated, generate) = await ServerWork.MeasureAsync(() => Pins.GenerateAsync(tenant.Admin, tenant.Key, new PinGenerateForm { Count = 100_000, Length = 9 }, CancellationToken.None));
        output.WriteLine($"generate 100,000 PINs: {generate}");
        Assert.InRange(generate.Inserts, 100, 102);
        foreach (var replica in TestCluster.Replicas)
        {
            Assert.True(await TestCluster.WaitForGtidAsync(replica, generated.Result.Gtid!, 60), $"{replica} did not apply the generated PINs");
        }

        var plan = await TestCluster.RootSqlAsync("master",
            $"EXPLAIN SELECT id, company, pin, active FROM asteriskdb.pins WHERE company = '{tenant.Key}' ORDER BY pin, id LIMIT 26");
        Assert.Contains("company_pin", plan);
        Assert.DoesNotContain("filesort", plan);
        var everything = new PinFilter();
        var (total, count) = await ServerWork.MeasureAsync(() => Pins.CountAsync(tenant.Admin, everything, CancellationToken.None));
        var (first, firstPage) = await ServerWork.MeasureAsync(() => Pins.PageAsync(tenant.Admin, everything, false, KeysetRequest.First(26), CancellationToken.None));
        var (next, nextPage) = await ServerWork.MeasureAsync(() => Pins.PageAsync(tenant.Admin, everything, false, new KeysetRequest(first[24].Cursor, false, 26), CancellationToken.None));
        var (last, lastPage) = await ServerWork.MeasureAsync(() => Pins.PageAsync(tenant.Admin, everything, false, new KeysetRequest(null, true, 25), CancellationToken.None));
        var (search, prefixSearch) = await ServerWork.MeasureAsync(() => Pins.PageAsync(tenant.Admin, new PinFilter(Search: "1000001"), false, KeysetRequest.First(26), CancellationToken.None));
        output.WriteLine($"200,000 PINs: count {count}; first page {firstPage}; next {nextPage}; last {lastPage}; prefix search {prefixSearch}");

        Assert.Equal(new CappedCount(Keyset.CountCap + 1, false), total);
        // The count stops past the cap (its rows are read twice: the index range, then the derived table's rows).
        Assert.True(count.RowsRead < 3 * Keyset.CountCap, $"the capped count of 200,000 PINs read {count}");
        Assert.Equal(26, first.Count);
        Assert.Equal(first[25].Row.Id, next[0].Row.Id);
        Assert.Equal(25, last.Count);
        Assert.Equal(await TestTenants.OnMasterAsync($"SELECT MAX(pin) FROM pins WHERE company = '{tenant.Key}'"), await Pins.RevealAsync(tenant.Admin, last[^1].Row.Id, CancellationToken.None));
        Assert.NotEmpty(search);
        foreach (var (page, work) in new[] { ("first", firstPage), ("next", nextPage), ("last", lastPage), ("prefix search", prefixSearch) })
        {
            Assert.True(work.RowsRead < 500, $"the {page} page of 200,000 PINs read {work}");
        }
    }

    [Fact]
    public async Task Export_gives_the_tenants_pins_in_clear_and_is_audited()
    {
        var tenant = await TestTenants.CreateAsync(services);
        await Pins.ImportAsync(tenant.Admin, tenant.Key, "2222,yes\n3333,no\n", dryRun: false, CancellationToken.None);

        var rows = new List<(string, string)>();
        await foreach (var row in (await Pins.ExportAsync(tenant.Admin, tenant.Key, CancellationToken.None))!)
        {
            rows.Add(row);
        }

        Assert.Equal([($"{tenant.Accountcode}-2222", "yes"), ($"{tenant.Accountcode}-3333", "no")], rows);
        Assert.Equal(1L, await TestTenants.OnMasterAsync($"SELECT COUNT(*) FROM portal.audit_log WHERE action = 'export pins' AND row_key = 'company={tenant.Key}'"));
    }

    /// <summary>An operator's list of every tenant pages by the pin index, forward and back, as ORDER BY pin, id would.</summary>
    [Fact]
    public async Task Every_tenants_list_pages_by_keyset_without_gaps_or_repeats()
    {
        var tenant = await TestTenants.CreateAsync(services);
        await Pins.ImportAsync(tenant.Admin, tenant.Key, string.Concat(Enumerable.Range(0, 17).Select(i => $"{7000 + i * 13},{(i % 3 == 0 ? "no" : "yes")}\n")), dryRun: false, CancellationToken.None);
        var expected = (await TestCluster.RootSqlAsync("master", $"SELECT id FROM asteriskdb.pins WHERE pin LIKE '{tenant.Accountcode}-%' ORDER BY pin DESC, id DESC"))
            .Split('\n').Select(int.Parse).ToList();
        var filter = new PinFilter(Search: tenant.Accountcode + "-");

        var ids = await KeysetWalk.IdsAsync(request => Pins.PageAsync(TestTenants.Operator, filter, true, request, CancellationToken.None), r => r.Id, 5);

        Assert.Equal(expected, ids);
        Assert.All(await Pins.PageAsync(TestTenants.Operator, filter, true, KeysetRequest.First(100), CancellationToken.None), r => Assert.Equal(tenant.Key, r.Row.Company));
        Assert.Equal(new CappedCount(6, true), await Pins.CountAsync(TestTenants.Operator, filter with { Active = false }, CancellationToken.None));
    }
}
