using Microsoft.EntityFrameworkCore;
using Portal.Asterisk.Nodes;
using Portal.Web.Data;

namespace Portal.Web.Features.Nodes;

/// <summary>
/// The Asterisk release line the whole cluster runs the dialplan with: every node reads the same realtime rows, so
/// the oldest family declared on /nodes decides which applications and functions a step may call. While no node is
/// declared, the portal's default family.
/// </summary>
public sealed class ClusterAsterisk(IDbContextFactory<PortalDb> portal)
{
    public async Task<AsteriskFamily> OldestAsync(CancellationToken cancellationToken)
    {
        await using var db = await portal.CreateDbContextAsync(cancellationToken);
        var labels = await db.Nodes.AsNoTracking().Select(n => n.AsteriskVersion).Distinct().ToListAsync(cancellationToken);
        return Oldest(labels);
    }

    public static AsteriskFamily Oldest(IEnumerable<string> labels) =>
        labels.Select(AsteriskFamily.Find).OfType<AsteriskFamily>().MinBy(f => f.Version) ?? AsteriskFamily.Default;
}
