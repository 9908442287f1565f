using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;

namespace Portal.Web.Setup;

/// <summary>
/// The portal's administrative commands, run as <c>Portal.Web COMMAND</c> (scripts/portal wraps it):
/// <c>migrate</c>, <c>schema [--apply]</c>, <c>create-operator EMAIL</c> (password from PORTAL_OPERATOR_PASSWORD or stdin),
/// <c>seed-demo</c>, <c>node-config NODE [--out DIR]</c>, <c>node-save NODE HOST:PORT [--asterisk LABEL]</c>. Returns null when the arguments name no command, and the web server starts instead.
/// </summary>
public static class CommandLine
{
    public static async Task<int?> RunAsync(WebApplication app, string[] args)
    {
        var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;
        if (command is null)
        {
            return null;
        }
        var ct = app.Lifetime.ApplicationStopping;
        var migrator = app.Services.GetRequiredService<Migrator>();
        switch (command)
        {
            case "migrate":
                var applied = await migrator.MigrateAsync(ct);
                Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : string.Join(Environment.NewLine, applied.Select(a => "applied: " + a)));
                return 0;
            case "schema":
                var findings = args.Contains("--apply")
                    ? await migrator.ApplyRecommendedAsync(ct)
                    : await app.Services.GetRequiredService<SchemaCheck>().CheckAsync(ct);
                foreach (var f in findings)
                {
                    Console.WriteLine($"{(args.Contains("--apply") ? "applied" : "recommended")}: {f.What} ({f.Why})");
                    Console.WriteLine($"    {f.Sql ?? f.Remedy ?? "run the migrations"}");
                }
                Console.WriteLine(findings.Count == 0 ? "asteriskdb has everything the portal recommends." : $"{findings.Count} finding(s).");
                return 0;
            case "create-operator":
                return await CreateOperatorAsync(app, args, ct);
            case "seed-demo":
                await migrator.MigrateAsync(ct);
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<DemoSeed>().SeedAsync(ct);
                }
                Console.WriteLine("Demo tenants, users and Asterisk data are in place.");
                return 0;
            case "node-config":
                await migrator.MigrateAsync(ct);
                return await Features.Nodes.NodeCommandLine.RunAsync(app.Services, args, ct);
            case "node-save":
                await migrator.MigrateAsync(ct);
                return await Features.Nodes.NodeCommandLine.SaveAsync(app.Services, args, ct);
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate, schema [--apply], create-operator EMAIL, seed-demo, {Features.Nodes.NodeCommandLine.Usage}, {Features.Nodes.NodeCommandLine.SaveUsage}.");
                return 2;
        }
    }

    private static async Task<int> CreateOperatorAsync(WebApplication app, string[] args, CancellationToken ct)
    {
        var email = args.SkipWhile(a => a != "create-operator").Skip(1).FirstOrDefault();
        if (string.IsNullOrWhiteSpace(email))
        {
            await Console.Error.WriteLineAsync("Usage: create-operator EMAIL (the password is read from PORTAL_OPERATOR_PASSWORD, else from standard input)");
            return 2;
        }
        var password = Environment.GetEnvironmentVariable("PORTAL_OPERATOR_PASSWORD");
        if (string.IsNullOrEmpty(password))
        {
            Console.Write("Password: ");
            password = Console.ReadLine() ?? "";
        }
        await app.Services.GetRequiredService<Migrator>().MigrateAsync(ct);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeed>().EnsureRolesAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, password);
        if (result.Succeeded)
        {
            result = await users.AddToRoleAsync(user, Caller.OperatorRole);
        }
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                await Console.Error.WriteLineAsync(error.Description);
            }
            return 1;
        }
        Console.WriteLine($"Operator {email} created.");
        return 0;
    }
}
