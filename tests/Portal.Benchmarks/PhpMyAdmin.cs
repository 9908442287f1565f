using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.IntegrationTests;

namespace Portal.Benchmarks;

/// <summary>
/// The baseline the issue measured, measured again in the same run: Debian's phpMyAdmin 5.2.1 on PHP's own server,
/// signed in with the portal's database account (scripts/phpmyadmin-bench.php, which scripts/bench installs), on the
/// same cluster and data. A query is sent as phpMyAdmin's SQL box sends it (a POST to its import route); phpMyAdmin
/// adds its own LIMIT 0, 25 to a SELECT without one, as it does for a person typing it.
/// </summary>
public sealed partial class PhpMyAdmin : IAsyncDisposable
{
    public const string Root = "/usr/share/phpmyadmin";

    public static int Port { get; } = int.Parse(Environment.GetEnvironmentVariable("BENCH_PMA_PORT") ?? "5191");

    private readonly Process server;
    private readonly HttpClient http;
    private readonly string token;

    private PhpMyAdmin(Process server, HttpClient http, string token)
    {
        this.server = server;
        this.http = http;
        this.token = token;
    }

    public static string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Starts PHP's server on phpMyAdmin and opens a session (phpMyAdmin's CSRF token is per session).</summary>
    public static async Task<PhpMyAdmin> StartAsync()
    {
        if (!Directory.Exists(Root))
        {
            throw new InvalidOperationException($"phpMyAdmin is not installed at {Root}: scripts/bench installs it.");
        }
        var start = new ProcessStartInfo("php") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-S", $"127.0.0.1:{Port}", "-t", Root })
        {
            start.ArgumentList.Add(arg);
        }
        // The portal's own account, as an operator with database access would sign in to phpMyAdmin.
        var account = new MySqlConnector.MySqlConnectionStringBuilder(TestCluster.Database().Master);
        start.Environment["PORTAL_BENCH_PMA_PORT"] = TestCluster.Port.ToString();
        start.Environment["PORTAL_BENCH_PMA_USER"] = account.UserID;
        start.Environment["PORTAL_BENCH_PMA_PASSWORD"] = account.Password;
        var server = Process.Start(start)!;
        // PHP's server logs every request on stderr: read it away so that it never fills the pipe and blocks.
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(BaseUrl) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var home = await http.GetStringAsync("/index.php?route=/sql&db=asteriskdb&table=sip");
                return new PhpMyAdmin(server, http, Token().Match(home).Groups[1].Value);
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The query's result page, the whole HTML as phpMyAdmin serves it: its server's share of a page load.</summary>
    public async Task<double> ServeAsync(string table, string sql)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync("/index.php?route=/import", Form(table, sql));
        var html = await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (!html.Contains("table_results"))
        {
            throw new InvalidOperationException($"phpMyAdmin showed no result for {sql}:\n{html[..Math.Min(html.Length, 2000)]}");
        }
        return elapsed;
    }

    /// <summary>
    /// In Chromium, a full page load of the query's result: the form phpMyAdmin's SQL box has, posted without its
    /// script (a new document), from a phpMyAdmin page that holds the session's token.
    /// </summary>
    public static Task SubmitAsync(IPage page, string table, string sql) =>
        page.EvaluateAsync("""
            ([table, sql]) => {
                const form = document.createElement('form');
                form.method = 'post';
                form.action = 'index.php?route=/import';
                const fields = { db: 'asteriskdb', table, sql_query: sql, token: document.querySelector('input[name=token]').value };
                for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement('input');
                    input.type = 'hidden';
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
                document.body.appendChild(form);
                form.submit();
            }
            """, new[] { table, sql });

    /// <summary>
    /// In Chromium, the query typed into phpMyAdmin's SQL box on the table's SQL page and sent with its Go button,
    /// as a person does: phpMyAdmin sends it with its script and puts the result into the page.
    /// </summary>
    public static Task TypeAndGoAsync(IPage page, string sql) =>
        page.EvaluateAsync("""
            sql => {
                if (window.codeMirrorEditor) window.codeMirrorEditor.setValue(sql);
                else document.querySelector('#sqlquery').value = sql;
                document.querySelector('#button_submit_query').click();
            }
            """, sql);

    /// <summary>The table's SQL page, where <see cref="TypeAndGoAsync"/> starts.</summary>
    public static string SqlPage(string table) => $"{BaseUrl}/index.php?route=/table/sql&db=asteriskdb&table={table}";

    private FormUrlEncodedContent Form(string table, string sql) => new(new Dictionary<string, string>
    {
        ["token"] = token,
        ["db"] = "asteriskdb",
        ["table"] = table,
        ["sql_query"] = sql,
    });

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        if (!server.HasExited)
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
        server.Dispose();
    }

    [GeneratedRegex(@"name=""token"" value=""([0-9a-f]+)""")]
    private static partial Regex Token();
}
