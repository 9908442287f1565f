using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;

namespace Portal.Web.Features.Replication;

/// <summary>The one change an operator makes to replication monitoring: forgetting a replica that is gone for good.</summary>
public sealed class ReplicaCommands(IDbContextFactory<PortalDb> factory, ReplicaRegistry registry, ReplicaMonitor monitor, MasterState master, MasterWriter writer)
{
    /// <summary>
    /// Drops a remembered replica from the watched list. Only one that is neither configured nor attached to the
    /// master: anything else would come straight back, and hiding a live replica's alarm is not the point.
    /// </summary>
    public async Task ForgetAsync(Caller caller, string name, CancellationToken ct)
    {
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, "forget replica", "replicas", name, ct);
        }
        master.ThrowIfDown();
        var replica = registry.All.FirstOrDefault(r => string.Equals(r.Endpoint.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new WriteRefusedException($"No replica named {name} is known.");
        if (replica.Configured)
        {
            throw new WriteRefusedException($"{name} is in the portal's configuration (Replication:Replicas); remove it there.");
        }
        if (monitor.Attached is not { } attached || attached.Any(a => ReplicaRegistry.IndexOf([replica], a) == 0))
        {
            throw new WriteRefusedException($"{name} is attached to the master (or the master cannot say): a live replica is not forgotten.");
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"DELETE FROM replicas WHERE name = {replica.Endpoint.Name}", ct);
        db.Audit.Add(new AuditEntry
        {
            At = DateTime.UtcNow,
            UserName = caller.UserName,
            TenantKey = caller.TenantKey,
            Action = "forget replica",
            TableName = "replicas",
            RowKey = replica.Endpoint.Name,
            OldValues = AuditChange.ToJson("replicas", new Dictionary<string, object?>
            {
                ["host"] = replica.Endpoint.Host,
                ["port"] = replica.Endpoint.Port,
                ["server_id"] = replica.ServerId,
            }),
        });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        registry.Remove(replica.Endpoint.Name);
    }
}
