using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Features.OfficeToggles;

namespace Portal.Web.Data;

/// <summary>The portal's own data in the <c>portal</c> database: Identity, tenants, audit, Data Protection keys.</summary>
public sealed class PortalDb(DbContextOptions<PortalDb> options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<TenantContext> TenantContexts => Set<TenantContext>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<OfficeToggle> OfficeToggles => Set<OfficeToggle>();
    public DbSet<Features.Nodes.Node> Nodes => Set<Features.Nodes.Node>();
    public DbSet<Account.PortalSession> Sessions => Set<Account.PortalSession>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        base.OnModelCreating(model);
        model.Entity<Tenant>(e =>
        {
            e.ToTable("tenants");
            e.Property(t => t.Key).HasColumnName("tenant_key").HasMaxLength(11);
            e.Property(t => t.Name).HasColumnName("name").HasMaxLength(100);
            e.Property(t => t.Id).HasColumnName("id");
            e.HasIndex(t => t.Key).IsUnique();
            e.HasMany(t => t.Contexts).WithOne().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
            e.Property(t => t.Accountcode).HasColumnName("accountcode").HasMaxLength(15);
            e.HasIndex(t => t.Accountcode).IsUnique();
            e.HasMany(t => t.Toggles).WithOne().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
        });
        model.Entity<OfficeToggle>(e =>
        {
            e.ToTable("office_toggles");
            e.Property(o => o.Id).HasColumnName("id");
            e.Property(o => o.TenantId).HasColumnName("tenant_id");
            e.Property(o => o.Name).HasColumnName("name").HasMaxLength(60);
            e.Property(o => o.Key).HasColumnName("toggle_key").HasMaxLength(20);
            e.Property(o => o.KnownState).HasColumnName("known_state").HasMaxLength(128);
            e.Property(o => o.KnownVersion).HasColumnName("known_version");
            e.HasIndex(o => o.Key).IsUnique();
            e.HasIndex(o => new { o.TenantId, o.Name }).IsUnique();
        });
        model.Entity<TenantContext>(e =>
        {
            e.ToTable("tenant_contexts");
            e.HasKey(c => new { c.TenantId, c.Context });
            e.Property(c => c.TenantId).HasColumnName("tenant_id");
            e.Property(c => c.Context).HasColumnName("context").HasMaxLength(80);
            e.HasIndex(c => c.Context).IsUnique();
        });
        model.Entity<PortalUser>(e =>
        {
            e.HasOne(u => u.Tenant).WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.Restrict);
        });
        model.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.Property(a => a.Id).HasColumnName("id");
            e.Property(a => a.At).HasColumnName("at").HasColumnType("datetime(6)");
            e.Property(a => a.UserName).HasColumnName("user_name").HasMaxLength(256);
            e.Property(a => a.TenantKey).HasColumnName("tenant_key").HasMaxLength(11);
            e.Property(a => a.Action).HasColumnName("action").HasMaxLength(40);
            e.Property(a => a.TableName).HasColumnName("table_name").HasMaxLength(40);
            e.Property(a => a.RowKey).HasColumnName("row_key").HasMaxLength(200);
            e.Property(a => a.OldValues).HasColumnName("old_values").HasColumnType("text");
            e.Property(a => a.NewValues).HasColumnName("new_values").HasColumnType("text");
            e.HasIndex(a => a.At);
            e.HasIndex(a => new { a.TenantKey, a.At });
        });
        model.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        model.Entity<Account.PortalSession>(e =>
        {
            e.ToTable("portal_sessions");
            e.Property(s => s.Id).HasColumnName("id").HasMaxLength(43);
            e.Property(s => s.UserId).HasColumnName("user_id").HasMaxLength(255);
            e.Property(s => s.CreatedAt).HasColumnName("created_at").HasColumnType("datetime(6)");
            e.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        model.ApplyConfiguration(new Features.Nodes.NodeMapping());
    }
}
