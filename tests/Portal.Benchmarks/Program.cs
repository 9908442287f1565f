using Portal.Benchmarks;

// Usage: Portal.Benchmarks [--tiny] [--no-seed] [--no-browser] [--runs N] [--only SECTION] [--sessions N] [--flips N]
// SECTION: data (the pages' queries), toggle, import, pages (in Chromium), sessions (concurrent circuits), lag, browser
// (pages, sessions and lag): one section alone, for quick re-runs of one figure.
// Against the cluster named by PORTAL_TEST_CLUSTER_PORT / PORTAL_TEST_CLUSTER_DIR (scripts/bench starts one).
// It replaces the data of the four Asterisk tables: never point it at a cluster whose data you want to keep.
var tiny = args.Contains("--tiny");
var sizes = tiny ? Sizes.Tiny : Sizes.Full;
var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(tiny ? 5 : 20);
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
bool Runs(string section) => only is null || only == section;
var report = new Report(Console.Out);
report.Heading($"Benchmarks at {(tiny ? "tiny" : "full")} size: {sizes.Peers:N0} peers in {sizes.Tenants:N0} tenants, " +
    $"{sizes.Extensions:N0} dialplan rows in {sizes.Contexts:N0} contexts, {sizes.Pins:N0} PINs, {sizes.Mailboxes:N0} mailboxes; " +
    $"{Environment.ProcessorCount} cores; median of {runs} runs");

if (!args.Contains("--no-seed"))
{
    await Seeder.SeedAsync(sizes, Console.Out);
}
if (only == "sessions")
{
    var sessions = args.SkipWhile(a => a != "--sessions").Skip(1).Select(int.Parse).FirstOrDefault(tiny ? 5 : 200);
    var flips = args.SkipWhile(a => a != "--flips").Skip(1).Select(int.Parse).FirstOrDefault(tiny ? 10 : 100);
    await Sessions.RunAloneAsync(sessions, flips, report);
    report.Finish();
    return 0;
}
var services = new Services();
if (Runs("data"))
{
    await PageData.RunAsync(services, sizes, runs, report);
}
if (Runs("toggle"))
{
    await Toggle.RunAsync(services, runs * 5, report);
}
if (Runs("import"))
{
    await PinImport.RunAsync(services, sizes, report);
}
if ((Runs("browser") || only is "pages" or "lag") && !args.Contains("--no-browser"))
{
    await Browser.RunAsync(sizes, runs, tiny, only is "pages" or "lag" ? only : null, report);
}
report.Finish();
return report.Missed == 0 || tiny ? 0 : 1;
