using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Asterisk.Nodes;
using Portal.Web.Data;
using Portal.Web.Features.Replication;

namespace Portal.Web.Features.Nodes;

public sealed record NodeRow(
    int Id,
    string Name,
    int ServerId,
    string ReplicaHost,
    int ReplicaPort,
    string AsteriskVersion,
    ReplicaServer ReplicaServer,
    DateTime? DownloadedAt,
    string? DownloadedBy,
    NodeFreshness Freshness,
    string? ManagerHost = null,
    int? ManagerPort = null,
    string? ManagerUser = null,
    bool HasManagerSecret = false);

/// <summary>
/// Whether the extensions.conf last downloaded for a node still has a stanza for every context in the database:
/// a context added since is "not found" on that node until its file is replaced.
/// </summary>
public sealed record NodeFreshness(bool Downloaded, IReadOnlyList<string> Added, IReadOnlyList<string> Removed)
{
    public bool OutOfDate => Downloaded && (Added.Count > 0 || Removed.Count > 0);

    public static NodeFreshness Of(string? downloadedFingerprint, string? downloadedContexts, IReadOnlyList<string> current, string currentFingerprint)
    {
        if (downloadedFingerprint is null)
        {
            return new NodeFreshness(false, [], []);
        }
        if (downloadedFingerprint == currentFingerprint)
        {
            return new NodeFreshness(true, [], []);
        }
        var downloaded = (downloadedContexts ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new NodeFreshness(true, current.Except(downloaded, StringComparer.Ordinal).ToList(), downloaded.Except(current, StringComparer.Ordinal).ToList());
    }
}

public sealed record NodeQuery(string? Search, string? SortBy, bool Descending, int Skip, int Take);

/// <summary>
/// The Asterisk nodes and their generated files: operators only, checked here as well as on the page. Nodes live in
/// the portal database; the Asterisk tables are only read (their context list).
/// </summary>
public sealed class NodeCommands(
    IDbContextFactory<PortalDb> portal,
    IDbContextFactory<AsteriskDb> asterisk,
    MasterWriter writer,
    IOptions<NodesOptions> nodes,
    IOptions<DatabaseOptions> database,
    IOptions<ReplicationOptions> replication,
    IOptions<SipPeers.SipDigestOptions> digest,
    NodeSecrets secrets,
    ILogger<NodeCommands> log)
{
    private static readonly NodeFormValidator Validator = new();

    /// <summary>The credentials the files carry when the operator gives none: the account names, password placeholders.</summary>
    public NodeCredentials Placeholders =>
        NodeCredentials.WithPlaceholders(nodes.Value.ReplicationUser, nodes.Value.AsteriskUser, replication.Value.MonitorUser);

    public async Task<(IReadOnlyList<NodeRow> Rows, int Total)> PageAsync(Caller caller, NodeQuery query, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "list nodes", "", ct);
        var contexts = await ContextsAsync(ct);
        var fingerprint = ContextList.Fingerprint(contexts);
        await using var db = await portal.CreateDbContextAsync(ct);
        var nodeRows = db.Nodes.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            nodeRows = nodeRows.Where(n => n.Name.Contains(query.Search) || n.ReplicaHost.Contains(query.Search));
        }
        nodeRows = (query.SortBy, query.Descending) switch
        {
            ("ServerId", false) => nodeRows.OrderBy(n => n.ServerId),
            ("ServerId", true) => nodeRows.OrderByDescending(n => n.ServerId),
            ("ReplicaHost", false) => nodeRows.OrderBy(n => n.ReplicaHost).ThenBy(n => n.ReplicaPort),
            ("ReplicaHost", true) => nodeRows.OrderByDescending(n => n.ReplicaHost).ThenByDescending(n => n.ReplicaPort),
            ("DownloadedAt", false) => nodeRows.OrderBy(n => n.DownloadedAt),
            ("DownloadedAt", true) => nodeRows.OrderByDescending(n => n.DownloadedAt),
            (_, true) => nodeRows.OrderByDescending(n => n.Name),
            _ => nodeRows.OrderBy(n => n.Name),
        };
        var total = await nodeRows.CountAsync(ct);
        var page = await nodeRows.Skip(query.Skip).Take(query.Take).ToListAsync(ct);
        return (page.Select(n => Row(n, contexts, fingerprint)).ToList(), total);
    }

    public async Task<NodeRow?> GetAsync(Caller caller, int id, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "read node", id.ToString(), ct);
        await using var db = await portal.CreateDbContextAsync(ct);
        var node = await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, ct);
        if (node is null)
        {
            return null;
        }
        var contexts = await ContextsAsync(ct);
        return Row(node, contexts, ContextList.Fingerprint(contexts));
    }

    public async Task<int?> FindAsync(Caller caller, string name, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "read node", name, ct);
        await using var db = await portal.CreateDbContextAsync(ct);
        return await db.Nodes.Where(n => n.Name == name).Select(n => (int?)n.Id).SingleOrDefaultAsync(ct);
    }

    /// <summary>Creates (id null) or changes a node; a new node gets the next free server-id above the cluster's own.</summary>
    public async Task<int> SaveAsync(Caller caller, int? id, NodeForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, id is null ? "create node" : "edit node", form.Name, ct);
        await Validator.ValidateAndThrowAsync(form, ct);
        await using var db = await portal.CreateDbContextAsync(ct);
        Node node;
        if (id is null)
        {
            var highest = await db.Nodes.MaxAsync(n => (int?)n.ServerId, ct) ?? 0;
            node = new Node { ServerId = Math.Max(highest, nodes.Value.FirstServerId) + 1, CreatedAt = DateTime.UtcNow };
            db.Nodes.Add(node);
        }
        else
        {
            node = await db.Nodes.SingleOrDefaultAsync(n => n.Id == id, ct) ?? throw new WriteRefusedException("That node no longer exists.");
        }
        var before = id is null ? null : Describe(node);
        node.Name = form.Name;
        node.ReplicaHost = form.ReplicaHost;
        node.ReplicaPort = form.ReplicaPort;
        node.AsteriskVersion = form.AsteriskVersion;
        node.ReplicaServer = form.ReplicaServer.ToString();
        SetManager(node, form);
        db.Audit.Add(Audit(caller, id is null ? "create node" : "edit node", form.Name, before,
            Describe(node) + (form.ManagerHost.Length > 0 && form.ManagerSecret.Length > 0 ? " (secret changed)" : "")));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is MySqlException { ErrorCode: MySqlErrorCode.DuplicateKeyEntry })
        {
            throw new WriteRefusedException($"A node named {form.Name} exists already (or another operator took the same server-id: try again).", e);
        }
        log.LogInformation("{User} saved node {Node} (server-id {ServerId})", caller.UserName, node.Name, node.ServerId);
        return node.Id;
    }

    public async Task DeleteAsync(Caller caller, int id, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "delete node", id.ToString(), ct);
        await using var db = await portal.CreateDbContextAsync(ct);
        var node = await db.Nodes.SingleOrDefaultAsync(n => n.Id == id, ct) ?? throw new WriteRefusedException("That node no longer exists.");
        db.Nodes.Remove(node);
        db.Audit.Add(Audit(caller, "delete node", node.Name, Describe(node), null));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Everything the node's files depend on, with the database's contexts as they are now.</summary>
    public async Task<NodeSpec> SpecAsync(Caller caller, int id, NodeCredentials? credentials, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "read node", id.ToString(), ct);
        await using var db = await portal.CreateDbContextAsync(ct);
        var node = await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == id, ct) ?? throw new WriteRefusedException("That node no longer exists.");
        var master = new MySqlConnectionStringBuilder(database.Value.Master);
        return new NodeSpec(
            node.Name,
            node.ServerId,
            node.ReplicaHost,
            node.ReplicaPort,
            nodes.Value.MasterHost ?? master.Server,
            nodes.Value.MasterPort ?? (int)master.Port,
            database.Value.AsteriskDatabase,
            AsteriskFamily.Find(node.AsteriskVersion) ?? throw new WriteRefusedException($"Node {node.Name} names Asterisk {node.AsteriskVersion}, which the portal has no files for."),
            Enum.Parse<ReplicaServer>(node.ReplicaServer),
            await ContextsAsync(ct),
            credentials ?? Placeholders,
            nodes.Value.MonitorFrom,
            digest.Value.Realm,
            node.ManagerHost is null ? null : new NodeManager(node.ManagerHost, node.ManagerPort ?? NodeManager.DefaultPort, node.ManagerUser ?? ""));
    }

    /// <summary>
    /// Remembers which contexts the node's extensions.conf was generated with, so the page can tell when contexts
    /// added since make it out of date.
    /// </summary>
    public async Task RecordDownloadAsync(Caller caller, int id, IReadOnlyList<string> contexts, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "download node files", id.ToString(), ct);
        await using var db = await portal.CreateDbContextAsync(ct);
        var node = await db.Nodes.SingleOrDefaultAsync(n => n.Id == id, ct) ?? throw new WriteRefusedException("That node no longer exists.");
        var normalized = ContextList.Normalize(contexts);
        node.DownloadedContexts = string.Join("\n", normalized);
        node.DownloadedFingerprint = ContextList.Fingerprint(normalized);
        node.DownloadedAt = DateTime.UtcNow;
        node.DownloadedBy = caller.UserName;
        db.Audit.Add(Audit(caller, "download node files", node.Name, null, $"{normalized.Count} contexts, fingerprint {node.DownloadedFingerprint[..12]}"));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Every dialplan context in the database, distinct and in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> ContextsAsync(CancellationToken ct)
    {
        await using var db = await asterisk.CreateDbContextAsync(ct);
        return ContextList.Normalize(await db.Extensions.AsNoTracking().Select(e => e.Context).Distinct().ToListAsync(ct));
    }

    private static NodeRow Row(Node n, IReadOnlyList<string> contexts, string fingerprint) =>
        new(n.Id, n.Name, n.ServerId, n.ReplicaHost, n.ReplicaPort, n.AsteriskVersion, Enum.Parse<ReplicaServer>(n.ReplicaServer), n.DownloadedAt, n.DownloadedBy,
            NodeFreshness.Of(n.DownloadedFingerprint, n.DownloadedContexts, contexts, fingerprint), n.ManagerHost, n.ManagerPort, n.ManagerUser, n.ManagerSecretProtected is not null);

    /// <summary>The manager settings; the secret only when one was typed (empty keeps the saved one), and then only encrypted.</summary>
    private void SetManager(Node node, NodeForm form)
    {
        if (form.ManagerHost.Length == 0)
        {
            node.ManagerHost = null;
            node.ManagerPort = null;
            node.ManagerUser = null;
            node.ManagerSecretProtected = null;
            return;
        }
        node.ManagerHost = form.ManagerHost;
        node.ManagerPort = form.ManagerPort;
        node.ManagerUser = form.ManagerUser;
        if (form.ManagerSecret.Length > 0)
        {
            node.ManagerSecretProtected = secrets.Protect(form.ManagerSecret);
        }
    }

    // The secret is masked: the audit says that it changed (its ciphertext differs), never what it is.
    private static string Describe(Node n) =>
        $"{n.Name}: replica {n.ReplicaHost}:{n.ReplicaPort} ({n.ReplicaServer}), Asterisk {n.AsteriskVersion}, server-id {n.ServerId}, " +
        (n.ManagerHost is null ? "no manager" : $"manager {n.ManagerUser}@{n.ManagerHost}:{n.ManagerPort} {(n.ManagerSecretProtected is null ? "no secret" : "secret ***")}");

    private async Task RequireOperatorAsync(Caller caller, string action, string key, CancellationToken ct)
    {
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, action, "nodes", key, ct);
        }
    }

    private static AuditEntry Audit(Caller caller, string action, string key, string? old, string? @new) => new()
    {
        At = DateTime.UtcNow,
        UserName = caller.UserName,
        TenantKey = caller.TenantKey,
        Action = action,
        TableName = "nodes",
        RowKey = key,
        OldValues = old,
        NewValues = @new,
    };
}
