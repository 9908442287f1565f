using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Portal.Web.Features.Nodes;

/// <summary>An Asterisk node of the cluster, as the portal generates its files (portal.nodes).</summary>
public sealed class Node
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public int ServerId { get; set; }

    /// <summary>Where the portal reaches the node's replica; Asterisk itself uses 127.0.0.1 and the same port.</summary>
    public string ReplicaHost { get; set; } = "";
    public int ReplicaPort { get; set; } = 3306;

    /// <summary>An <see cref="Portal.Asterisk.Nodes.AsteriskFamily"/> label: 1.4, 11, 20...</summary>
    public string AsteriskVersion { get; set; } = "";

    /// <summary>A <see cref="Portal.Asterisk.Nodes.ReplicaServer"/> name.</summary>
    public string ReplicaServer { get; set; } = "";

    /// <summary>The contexts of the extensions.conf last downloaded for the node, one per line; null before the first.</summary>
    public string? DownloadedContexts { get; set; }
    public string? DownloadedFingerprint { get; set; }
    public DateTime? DownloadedAt { get; set; }
    public string? DownloadedBy { get; set; }
    public DateTime CreatedAt { get; set; }

    /// <summary>Where the portal reaches the node's manager interface; null when the operator has given none.</summary>
    public string? ManagerHost { get; set; }
    public int? ManagerPort { get; set; }
    public string? ManagerUser { get; set; }

    /// <summary>The manager secret, encrypted with Data Protection (<see cref="NodeSecrets"/>); never shown again.</summary>
    public string? ManagerSecretProtected { get; set; }
}

public sealed class NodeMapping : IEntityTypeConfiguration<Node>
{
    public void Configure(EntityTypeBuilder<Node> e)
    {
        e.ToTable("nodes");
        e.Property(n => n.Id).HasColumnName("id");
        e.Property(n => n.Name).HasColumnName("name").HasMaxLength(40);
        e.Property(n => n.ServerId).HasColumnName("server_id");
        e.Property(n => n.ReplicaHost).HasColumnName("replica_host").HasMaxLength(255);
        e.Property(n => n.ReplicaPort).HasColumnName("replica_port");
        e.Property(n => n.AsteriskVersion).HasColumnName("asterisk_version").HasMaxLength(10);
        e.Property(n => n.ReplicaServer).HasColumnName("replica_server").HasMaxLength(10);
        e.Property(n => n.DownloadedContexts).HasColumnName("downloaded_contexts").HasColumnType("text");
        e.Property(n => n.DownloadedFingerprint).HasColumnName("downloaded_fingerprint").HasMaxLength(64).IsFixedLength();
        e.Property(n => n.DownloadedAt).HasColumnName("downloaded_at").HasColumnType("datetime(6)");
        e.Property(n => n.DownloadedBy).HasColumnName("downloaded_by").HasMaxLength(256);
        e.Property(n => n.CreatedAt).HasColumnName("created_at").HasColumnType("datetime(6)");
        e.Property(n => n.ManagerHost).HasColumnName("manager_host").HasMaxLength(255);
        e.Property(n => n.ManagerPort).HasColumnName("manager_port");
        e.Property(n => n.ManagerUser).HasColumnName("manager_user").HasMaxLength(32);
        e.Property(n => n.ManagerSecretProtected).HasColumnName("manager_secret_protected").HasColumnType("text");
        e.HasIndex(n => n.Name).IsUnique();
        e.HasIndex(n => n.ServerId).IsUnique();
    }
}
