using Microsoft.EntityFrameworkCore;
using Portal.Asterisk.Manager;
using Portal.Web.Data;

namespace Portal.Web.Features.Nodes;

/// <summary>What a node answered to an operator's action: the command sent and its CLI output.</summary>
public sealed record NodeActionResult(string Node, string Command, IReadOnlyList<string> Output);

/// <summary>
/// The operator's actions on a node (<see cref="NodeAction"/>: a fixed list, never free-form CLI), sent through the
/// node's manager link. Operators only, checked here; the actions that change the node are audited like every write.
/// </summary>
public sealed class NodeOperatorActions(NodeLinks links, MasterWriter writer, IDbContextFactory<PortalDb> portal, ILogger<NodeOperatorActions> log)
{
    /// <exception cref="AccessDeniedException">The caller is not an operator (the refusal is audited).</exception>
    /// <exception cref="WriteRefusedException">The action's argument is not allowed, or the node is not connected or failed.</exception>
    public async Task<NodeActionResult> RunAsync(Caller caller, string node, NodeAction action, string? argument, CancellationToken ct)
    {
        var name = $"node {action}";
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, name, "nodes", node, ct);
        }
        var (command, problem) = NodeActions.Command(action, argument);
        if (command is null)
        {
            throw new WriteRefusedException(problem!);
        }
        IReadOnlyList<string> output;
        try
        {
            output = await links.CommandAsync(node, command, ct);
        }
        catch (ManagerLinkException e)
        {
            throw new WriteRefusedException($"{node} did not run \"{command}\": {e.Message}", e);
        }
        if (NodeActions.Changes(action))
        {
            await using var db = await portal.CreateDbContextAsync(ct);
            db.Audit.Add(new AuditEntry
            {
                At = DateTime.UtcNow,
                UserName = caller.UserName,
                TenantKey = caller.TenantKey,
                Action = name,
                TableName = "nodes",
                RowKey = node,
                NewValues = $"{command}: {Said(output)}",
            });
            await db.SaveChangesAsync(ct);
            log.LogInformation("{User} ran {Command} on {Node}", caller.UserName, command, node);
        }
        return new NodeActionResult(node, command, output);
    }

    // What the node answered, cut to fit the audit row; prune and reload answer in one line.
    private static string Said(IReadOnlyList<string> output) =>
        string.Join(" ", output).Trim() is { Length: > 0 } said ? said[..Math.Min(said.Length, 200)] : "done";
}
