using Microsoft.EntityFrameworkCore;
using Portal.Asterisk.Nodes;
using Portal.Web.Data;

namespace Portal.Web.Features.Nodes;

/// <summary>
/// The Asterisk release line the whole cluster runs the dialplan with: every node reads the same realtime rows, so
/// the oldest family decides which applications and functions a step may call. Each node counts with the release its
/// manager link read from it where there is one (the node is the judge), and with what /nodes declares otherwise.
/// While no node is declared, the portal's default family.
/// </summary>
public sealed class ClusterAsterisk(IDbContextFactory<PortalDb> portal, NodeLinks? links = null)
{
    public async Task<AsteriskFamily> OldestAsync(CancellationToken cancellationToken)
    {
        await using var db = await portal.CreateDbContextAsync(cancellationToken);
        var nodes = await db.Nodes.AsNoTracking().Select(n => new { n.Name, n.AsteriskVersion }).ToListAsync(cancellationToken);
        return Oldest(nodes.Select(n =>
            links?.StateOf(n.Name).AsteriskVersion is { } release && AsteriskFamily.OfRelease(release) is { } read ? read.Label : n.AsteriskVersion));
    }

    public static AsteriskFamily Oldest(IEnumerable<string> labels) =>
        labels.Select(AsteriskFamily.Find).OfType<AsteriskFamily>().MinBy(f => f.Version) ?? AsteriskFamily.Default;
}
