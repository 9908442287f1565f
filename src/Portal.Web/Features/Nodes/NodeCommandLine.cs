using Portal.Asterisk.Nodes;
using Portal.Web.Data;

namespace Portal.Web.Features.Nodes;

/// <summary>
/// <c>Portal.Web node-config NODE [--out DIR]</c>: the node's files, as the Nodes page offers them, written to DIR
/// (default <c>node-NODE</c>). Passwords come from PORTAL_NODE_REPL_PASSWORD, PORTAL_NODE_ASTERISK_PASSWORD and
/// PORTAL_NODE_MONITOR_PASSWORD when set; otherwise the files carry placeholders, as the downloads do.
/// </summary>
public static class NodeCommandLine
{
    public const string Usage = "node-config NODE [--out DIR]";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var name = args.SkipWhile(a => a != "node-config").Skip(1).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('-'))
        {
            await Console.Error.WriteLineAsync("Usage: " + Usage);
            return 2;
        }
        var outAt = Array.IndexOf(args, "--out");
        var directory = outAt >= 0 && outAt + 1 < args.Length ? args[outAt + 1] : "node-" + name;

        var caller = new Caller($"{Environment.UserName} (command line)", IsOperator: true, TenantKey: null);
        var commands = services.GetRequiredService<NodeCommands>();
        if (await commands.FindAsync(caller, name, ct) is not { } id)
        {
            await Console.Error.WriteLineAsync($"No node named {name}: define it on the portal's Nodes page first.");
            return 1;
        }
        var placeholders = commands.Placeholders;
        var credentials = placeholders with
        {
            ReplicationPassword = Environment.GetEnvironmentVariable("PORTAL_NODE_REPL_PASSWORD") ?? placeholders.ReplicationPassword,
            AsteriskPassword = Environment.GetEnvironmentVariable("PORTAL_NODE_ASTERISK_PASSWORD") ?? placeholders.AsteriskPassword,
            MonitorPassword = Environment.GetEnvironmentVariable("PORTAL_NODE_MONITOR_PASSWORD") ?? placeholders.MonitorPassword,
        };
        var spec = await commands.SpecAsync(caller, id, credentials, ct);
        if (spec.Problems() is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync(problem);
            }
            return 1;
        }

        Directory.CreateDirectory(directory);
        foreach (var file in NodeFiles.All(spec))
        {
            var path = Path.Combine(directory, file.Name);
            await File.WriteAllTextAsync(path, file.Text, ct);
            Console.WriteLine($"{path}  ->  {file.InstallTo}");
        }
        foreach (var warning in NodeFiles.Warnings(spec))
        {
            await Console.Error.WriteLineAsync("warning: " + warning);
        }
        await commands.RecordDownloadAsync(caller, id, spec.Contexts, ct);
        return 0;
    }
}
