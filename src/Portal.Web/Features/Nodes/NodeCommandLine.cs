using Portal.Asterisk.Nodes;
using Portal.Web.Data;

namespace Portal.Web.Features.Nodes;

/// <summary>
/// <c>Portal.Web node-config NODE [--out DIR]</c>: the node's files, as the Nodes page offers them, written to DIR
/// (default <c>node-NODE</c>). Passwords come from PORTAL_NODE_REPL_PASSWORD, PORTAL_NODE_ASTERISK_PASSWORD and
/// PORTAL_NODE_MONITOR_PASSWORD when set; otherwise the files carry placeholders, as the downloads do.
/// <c>Portal.Web node-save NODE HOST:PORT [--asterisk LABEL]</c>: declares the node (or changes it) as the Nodes page
/// does, so scripts/nodes can run real nodes the page lists.
/// </summary>
public static class NodeCommandLine
{
    public const string Usage = "node-config NODE [--out DIR]";

    public const string SaveUsage = "node-save NODE HOST:PORT [--asterisk LABEL] [--manager HOST:PORT --manager-user USER] (the manager secret from PORTAL_NODE_MANAGER_SECRET)";

    public static async Task<int> SaveAsync(IServiceProvider services, string[] args, CancellationToken ct)
    {
        var operands = args.SkipWhile(a => a != "node-save").Skip(1).Take(2).ToArray();
        var replica = operands.Length == 2 ? operands[1].Split(':') : [];
        if (replica.Length != 2 || !int.TryParse(replica[1], out var port))
        {
            await Console.Error.WriteLineAsync("Usage: " + SaveUsage);
            return 2;
        }
        var asteriskAt = Array.IndexOf(args, "--asterisk");
        var form = new NodeForm
        {
            Name = operands[0],
            ReplicaHost = replica[0],
            ReplicaPort = port,
            AsteriskVersion = asteriskAt >= 0 && asteriskAt + 1 < args.Length ? args[asteriskAt + 1] : AsteriskFamily.Default.Label,
        };
        // The secret comes from the environment: a command line is visible to every user of the machine (ps).
        var managerAt = Array.IndexOf(args, "--manager");
        var userAt = Array.IndexOf(args, "--manager-user");
        if (managerAt >= 0)
        {
            var manager = managerAt + 1 < args.Length ? args[managerAt + 1].Split(':') : [];
            if (manager.Length != 2 || !int.TryParse(manager[1], out var managerPort))
            {
                await Console.Error.WriteLineAsync("Usage: " + SaveUsage);
                return 2;
            }
            form.ManagerHost = manager[0];
            form.ManagerPort = managerPort;
            form.ManagerUser = userAt >= 0 && userAt + 1 < args.Length ? args[userAt + 1] : form.ManagerUser;
            form.ManagerSecret = Environment.GetEnvironmentVariable("PORTAL_NODE_MANAGER_SECRET") ?? "";
        }
        var commands = services.GetRequiredService<NodeCommands>();
        var caller = CommandLineCaller();
        try
        {
            var id = await commands.SaveAsync(caller, await commands.FindAsync(caller, form.Name, ct), form, ct);
            Console.WriteLine($"node {form.Name}: replica {form.ReplicaHost}:{form.ReplicaPort}, Asterisk {form.AsteriskVersion} (id {id})");
            return 0;
        }
        catch (FluentValidation.ValidationException e)
        {
            foreach (var error in e.Errors)
            {
                await Console.Error.WriteLineAsync(error.ErrorMessage);
            }
            return 1;
        }
    }

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

        var caller = CommandLineCaller();
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

    private static Caller CommandLineCaller() => new($"{Environment.UserName} (command line)", IsOperator: true, TenantKey: null);
}
