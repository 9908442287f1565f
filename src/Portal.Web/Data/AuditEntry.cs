namespace Portal.Web.Data;

/// <summary>
/// One change (or refused attempt) in the audit log. Written in the same transaction as the change it records,
/// so a change without its audit entry, or an entry for a change that was rolled back, cannot exist.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public string UserName { get; set; } = "";
    public string? TenantKey { get; set; }
    public string Action { get; set; } = "";
    public string TableName { get; set; } = "";
    public string RowKey { get; set; } = "";
    public string? OldValues { get; set; }
    public string? NewValues { get; set; }
}
