using System.Data;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Features.SipPeers;

namespace Portal.Web.Data;

/// <summary>
/// The result of a write: the GTID of its commit, which tells when the change is live on each replica, and the
/// commit's moment on the portal's monotonic clock (<see cref="Stopwatch.GetTimestamp"/>) to measure from.
/// </summary>
public sealed record WriteResult(string? Gtid, int RowsChanged, TimeSpan Elapsed, long CommittedAt);

/// <summary>What a command's work sees inside the transaction.</summary>
public sealed class WriteScope(Func<AsteriskDb> createDb, MySqlConnection connection, MySqlTransaction transaction) : IAsyncDisposable
{
    private AsteriskDb? db;

    internal List<AuditChange> ExtraAudit { get; } = [];

    /// <summary>The context, if the work used it: a write in plain SQL never pays for EF's set-up.</summary>
    internal AsteriskDb? DbIfUsed => db;

    /// <summary>Tracked changes are audited by the writer itself. Made on first use, on this connection and transaction.</summary>
    public AsteriskDb Db => db ??= createDb();

    /// <summary>For set-based work (imports, renames) that bypasses the change tracker; audit it with <see cref="Audit"/>.</summary>
    public MySqlConnection Connection { get; } = connection;

    public MySqlTransaction Transaction { get; } = transaction;

    public void Audit(AuditChange change) => ExtraAudit.Add(change);

    public ValueTask DisposeAsync() => db?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>A write was refused with a message a user can act on; nothing was written.</summary>
public sealed class WriteRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The one write path to the master. Every change to the Asterisk tables goes through <see cref="WriteAsync"/>:
/// one connection, strict SQL mode, one transaction holding the change and its audit entries, and the commit's
/// GTID read on that same connection (<c>@@last_gtid</c> is per session; EF's pooled connections lose it).
/// Callers authorize and validate before they call it.
/// </summary>
public sealed class MasterWriter(IOptions<DatabaseOptions> options, MasterState master, ILogger<MasterWriter> log)
{
    private readonly DatabaseOptions options = options.Value;
    private readonly ServerVersion serverVersion = ServerVersion.Parse(options.Value.ServerVersion);

    // Writes draw from a pool of their own that skips the pool's reset, a round trip on every write. What the reset
    // gave is kept otherwise: a write sets the session state it relies on itself (strict sql_mode first, then the
    // isolation level with its transaction) and leaves none behind (no temporary tables, user variables or locks);
    // and a pooled connection that died with a master restart is found by that first SET (see OpenAsync).
    private readonly string writeConnection = new MySqlConnectionStringBuilder(options.Value.AsteriskConnectionString) { ConnectionReset = false }.ConnectionString;

    private readonly DbContextOptions<AsteriskDb> noConnection = new DbContextOptionsBuilder<AsteriskDb>()
        .UseMySql(ServerVersion.Parse(options.Value.ServerVersion))
        .Options;

    public async Task<WriteResult> WriteAsync(Caller caller, string action, Func<WriteScope, CancellationToken, Task> work, CancellationToken ct)
    {
        if (!caller.IsSignedIn)
        {
            throw new AccessDeniedException("Sign in first.");
        }
        master.ThrowIfDown();
        var clock = Stopwatch.StartNew();
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await using var scope = new WriteScope(() =>
        {
            var db = new AsteriskDb(new DbContextOptionsBuilder<AsteriskDb>(noConnection).UseMySql(connection, serverVersion).Options);
            db.Database.UseTransaction(transaction);
            return db;
        }, connection, transaction);
        int rows;
        var committing = false;
        try
        {
            await work(scope, ct);
            var tracked = scope.DbIfUsed is { } db ? TrackedChanges(db) : [];
            rows = (scope.DbIfUsed is { } used ? await used.SaveChangesAsync(ct) : 0) + scope.ExtraAudit.Count;
            // Keys of added rows exist only after SaveChanges (auto_increment), so the entries are built now.
            var audit = tracked.Select(build => build()).Concat(scope.ExtraAudit).ToList();
            await InsertAuditAsync(connection, transaction, caller, action, audit, ct);
            committing = true;
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (MasterState.ConnectionFailure(e) is { } lost)
        {
            // The master died under the change. Before COMMIT the server rolls the transaction back (change and audit
            // entry alike); during COMMIT nobody can know the outcome until it is back.
            master.ReportUnreachable(lost);
            throw new WriteRefusedException(committing
                ? "The master stopped answering while committing the change, so whether it was saved is unknown until the master is back: check it (and the audit log) then."
                : "The connection to the master was lost before the change was committed, so nothing was saved: the change and its audit entry are one transaction. Try again when the master is back.", lost);
        }
        catch (DbUpdateException e) when (e.InnerException is MySqlException inner)
        {
            throw Translate(inner);
        }
        catch (MySqlException e)
        {
            throw Translate(e);
        }
        var committedAt = Stopwatch.GetTimestamp();
        var gtid = await LastGtidAsync(connection, ct);
        log.LogInformation("{User} {Action}: {Rows} row(s), GTID {Gtid}", caller.UserName, action, rows, gtid);
        return new WriteResult(gtid, rows, clock.Elapsed, committedAt);
    }

    /// <summary>
    /// A connection to the master in strict SQL mode. A pooled connection can have died since its last write (a master
    /// restart, the server's wait_timeout); the SET is then what fails, before a transaction or a change was sent, so
    /// nothing can have been written: the pool's idle connections are dropped and the SET is tried once more on a new one.
    /// </summary>
    private async Task<MySqlConnection> OpenAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = new MySqlConnection(writeConnection);
            var opened = false;
            try
            {
                await connection.OpenAsync(ct);
                opened = true;
                await StrictSession.ApplyAsync(connection, ct);
                return connection;
            }
            catch (Exception e) when (opened && attempt == 1 && MasterState.ConnectionFailure(e) is not null)
            {
                log.LogInformation("A pooled connection to the master was dead ({Reason}); trying a new one.", e.Message);
                await MySqlConnection.ClearPoolAsync(connection, ct);
                await connection.DisposeAsync();
            }
            catch (Exception e) when ((opened ? MasterState.ConnectionFailure(e) : e as MySqlException) is { } lost)
            {
                await connection.DisposeAsync();
                master.ReportUnreachable(lost);
                throw new WriteRefusedException("The master database cannot be reached, so the change was not saved. Try again when it is back.", lost);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
        }
    }

    /// <summary>Records a refused attempt in the audit log (outside any change) and throws.</summary>
    public async Task<AccessDeniedException> DenyAsync(Caller caller, string action, string table, string key, CancellationToken ct)
    {
        log.LogWarning("Refused: {User} (tenant {Tenant}) tried {Action} on {Table} {Key}", caller.UserName, caller.TenantKey, action, table, key);
        try
        {
            await using var connection = new MySqlConnection(options.AsteriskConnectionString);
            await connection.OpenAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await InsertAuditAsync(connection, transaction, caller, "denied: " + action, [new AuditChange(table, key, null, null)], ct);
            await transaction.CommitAsync(ct);
        }
        catch (MySqlException e)
        {
            log.LogError(e, "Could not audit a refused attempt by {User}", caller.UserName);
        }
        return new AccessDeniedException("You do not have access to this.");
    }

    /// <summary>The tracked changes, read before SaveChanges resets them; each is turned into an entry after it.</summary>
    private static List<Func<AuditChange>> TrackedChanges(AsteriskDb db)
    {
        var changes = new List<Func<AuditChange>>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }
            var table = entry.Metadata.GetTableName() ?? entry.Metadata.ShortName();
            if (entry.Entity is SipPeer && entry.State == EntityState.Modified)
            {
                // Defence in depth: the registration columns belong to Asterisk. Writing them from a form would put a
                // stale address back over a phone that registered since the form was opened.
                var touched = entry.Properties.Where(p => p.IsModified && SipPeer.RegistrationColumns.Contains(p.Metadata.GetColumnName())).ToList();
                if (touched.Count > 0)
                {
                    throw new InvalidOperationException($"A portal write tried to change {string.Join(", ", touched.Select(p => p.Metadata.GetColumnName()))}, which only Asterisk writes.");
                }
            }
            var state = entry.State;
            var old = state == EntityState.Added ? null : Values(entry, p => p.OriginalValue, all: state == EntityState.Deleted);
            var current = state == EntityState.Deleted ? null : Values(entry, p => p.CurrentValue, all: state == EntityState.Added);
            changes.Add(() =>
            {
                var key = string.Join("/", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue));
                if (current is not null && state == EntityState.Added)
                {
                    foreach (var p in entry.Properties.Where(p => p.Metadata.ValueGenerated != Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.Never))
                    {
                        current[p.Metadata.GetColumnName()] = p.CurrentValue;
                    }
                }
                return new AuditChange(table, key, old, current);
            });
        }
        return changes;
    }

    private static Dictionary<string, object?> Values(EntityEntry entry, Func<PropertyEntry, object?> value, bool all) =>
        entry.Properties
            .Where(p => all || p.IsModified)
            .ToDictionary(p => p.Metadata.GetColumnName(), value);

    private async Task InsertAuditAsync(MySqlConnection connection, MySqlTransaction transaction, Caller caller, string action, IReadOnlyList<AuditChange> changes, CancellationToken ct)
    {
        // Same connection, same transaction: the audit rows commit with the change or not at all.
        var now = DateTime.UtcNow;
        foreach (var change in changes)
        {
            await using var command = new MySqlCommand(
                $"INSERT INTO `{options.PortalDatabase}`.audit_log (at, user_name, tenant_key, action, table_name, row_key, old_values, new_values) " +
                "VALUES (@at, @user, @tenant, @action, @table, @key, @old, @new)",
                connection,
                transaction);
            command.Parameters.AddWithValue("@at", now);
            command.Parameters.AddWithValue("@user", caller.UserName);
            command.Parameters.AddWithValue("@tenant", caller.TenantKey);
            command.Parameters.AddWithValue("@action", Truncate(action, 40));
            command.Parameters.AddWithValue("@table", change.Table);
            command.Parameters.AddWithValue("@key", Truncate(change.Key, 200));
            command.Parameters.AddWithValue("@old", AuditChange.ToJson(change.Table, change.Old));
            command.Parameters.AddWithValue("@new", AuditChange.ToJson(change.Table, change.New));
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private static async Task<string?> LastGtidAsync(MySqlConnection connection, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT @@last_gtid", connection);
        var gtid = await command.ExecuteScalarAsync(ct) as string;
        return string.IsNullOrEmpty(gtid) ? null : gtid;
    }

    private static WriteRefusedException Translate(MySqlException e) => e.ErrorCode switch
    {
        MySqlErrorCode.DuplicateKeyEntry => new WriteRefusedException("A row with the same key already exists: " + e.Message, e),
        MySqlErrorCode.DataTooLong => new WriteRefusedException("A value is longer than its column allows, and was not truncated: " + e.Message, e),
        MySqlErrorCode.OptionPreventsStatement => new WriteRefusedException("The database is read-only (is this the master?): " + e.Message, e),
        _ => new WriteRefusedException("The database refused the change: " + e.Message, e),
    };
}
