using System.ComponentModel.DataAnnotations;
using Portal.Web.Setup;

namespace Portal.Web.Features.Nodes;

/// <summary>How the Asterisk nodes reach the cluster, for their generated files. Bound from "Nodes"; every key is optional.</summary>
public sealed class NodesOptions : IValidatableObject
{
    public const string Section = "Nodes";

    /// <summary>The master as the nodes reach it; unset, the host of Database:Master (which may be 127.0.0.1 for the portal only).</summary>
    public string? MasterHost { get; set; }

    [Range(1, 65535, ErrorMessage = "Nodes:MasterPort must be a TCP port (1-65535).")]
    public int? MasterPort { get; set; }

    /// <summary>The master's replication account (REPLICATION SLAVE), as scripts/cluster creates it.</summary>
    [Required(ErrorMessage = "Nodes:ReplicationUser must name the master's replication account.")]
    public string ReplicationUser { get; set; } = "repl";

    /// <summary>The account Asterisk uses, on the master (column UPDATEs) and on its node's replica (SELECT).</summary>
    [Required(ErrorMessage = "Nodes:AsteriskUser must name the account Asterisk uses.")]
    public string AsteriskUser { get; set; } = "asterisk";

    /// <summary>The host part of the monitor account on a node's replica: where the portal connects from.</summary>
    [Required(ErrorMessage = "Nodes:MonitorFrom must be a host part of an account (% for any).")]
    public string MonitorFrom { get; set; } = "%";

    /// <summary>A node's replica further behind the master than this is reported.</summary>
    public TimeSpan MaxLag { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Nodes get server-ids above this, clear of the master's and the cluster replicas' own.</summary>
    [Range(1, int.MaxValue, ErrorMessage = "Nodes:FirstServerId must be a positive server_id.")]
    public int FirstServerId { get; set; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Settings.Between(MaxLag, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1), "Nodes:MaxLag");
}
