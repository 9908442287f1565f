using Microsoft.EntityFrameworkCore;
using Portal.Web.Features.Dialplan;
using Portal.Web.Features.Pins;
using Portal.Web.Features.SipPeers;
using Portal.Web.Features.Voicemail;

namespace Portal.Web.Data;

/// <summary>The Asterisk Realtime tables in <c>asteriskdb</c> on the master, with Asterisk's own column names.</summary>
public sealed class AsteriskDb(DbContextOptions<AsteriskDb> options) : DbContext(options)
{
    public DbSet<SipPeer> SipPeers => Set<SipPeer>();
    public DbSet<Extension> Extensions => Set<Extension>();
    public DbSet<VoicemailBox> VoicemailBoxes => Set<VoicemailBox>();
    public DbSet<Pin> Pins => Set<Pin>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.Entity<SipPeer>(e =>
        {
            e.ToTable("sip");
            e.HasKey(p => p.Id);
        });
        model.Entity<Extension>(e =>
        {
            e.ToTable("extensions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Priority).HasColumnType("tinyint(4)");
        });
        model.Entity<VoicemailBox>(e =>
        {
            e.ToTable("voicemail");
            e.HasKey(v => v.Uniqueid);
            e.Property(v => v.CustomerId).HasColumnName("customer_id");
            e.Property(v => v.Saydurationm).HasColumnType("tinyint(4)");
            // The database keeps stamp itself (ON UPDATE current_timestamp()).
            e.Property(v => v.Stamp).ValueGeneratedOnAddOrUpdate();
        });
        model.Entity<Pin>(e =>
        {
            e.ToTable("pins");
            e.HasKey(p => p.Id);
            e.Property(p => p.Code).HasColumnName("pin");
        });

        // Asterisk's columns are the lower-cased property names (callerid, regseconds, md5secret, ...).
        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(property.Name.ToLowerInvariant());
                }
            }
        }
    }
}
