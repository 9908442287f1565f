using System.Data;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Asterisk;
using Portal.Web.Features.SipPeers;

namespace Portal.Web.Data;

/// <summary>
/// The result of a write: the GTID of its commit, which tells when the change is live on each replica, and the
/// commit's moment on the portal's monotonic clock (<see cref="Stopwatch.GetTimestamp"/>) to measure from.
/// </summary>
public sealed record WriteResult(string? Gtid, int RowsChanged, TimeSpan Elapsed, long CommittedAt);

/// <summary>What a command's work sees inside the transaction.</summary>
public sealed class WriteScope(Func<AsteriskDb> createDb, MySqlConnection connection, string? begin = null) : IAsyncDisposable
{
    private AsteriskDb? db;
    private string? begin = begin;

    internal List<AuditChange> ExtraAudit { get; } = [];

    /// <summary>The context, if the work used it: a write in plain SQL never pays for EF's set-up.</summary>
    internal AsteriskDb? DbIfUsed => db;

    /// <summary>Tracked changes are audited by the writer itself. Made on first use, on this connection (and so in its transaction).</summary>
    public AsteriskDb Db
    {
        get
        {
            Begun();
            return db ??= createDb();
        }
    }

    /// <summary>
    /// For set-based work (imports, renames) that bypasses the change tracker; audit it with <see cref="Audit"/>. Its
    /// transaction is begun and ended in SQL by the writer, so commands on it need no transaction object.
    /// </summary>
    public MySqlConnection Connection => Begun();

    /// <summary>
    /// A command for the work's first statements. In a write begun in its first batch (see
    /// <see cref="MasterWriter.WriteAsync(Caller, string, bool, Func{WriteScope, CancellationToken, Task}, CancellationToken)"/>)
    /// strict mode and the transaction's begin go in front of them: one round trip for both.
    /// </summary>
    public MySqlCommand FirstBatch(string sql)
    {
        var first = begin is null ? sql : begin + "; " + sql;
        begin = null;
        return new MySqlCommand(first, connection);
    }

    /// <summary>
    /// Locks a row until the commit (<c>SELECT ... FOR UPDATE</c>), so an edit compares it with the form's original
    /// after any save that went first has committed, never beside it. <paramref name="table"/> and
    /// <paramref name="key"/> are the code's own names, never input.
    /// </summary>
    public async Task LockRowAsync(string table, string key, int id, CancellationToken ct)
    {
        await using var command = new MySqlCommand($"SELECT `{key}` FROM `{table}` WHERE `{key}` = @id FOR UPDATE", Begun());
        command.Parameters.AddWithValue("@id", id);
        await command.ExecuteScalarAsync(ct);
    }

    private MySqlConnection Begun() => begin is null
        ? connection
        : throw new InvalidOperationException("This write begins its transaction in its first batch: send its first statements with FirstBatch.");

    public void Audit(AuditChange change) => ExtraAudit.Add(change);

    public ValueTask DisposeAsync() => db?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>A write was refused with a message a user can act on; nothing was written.</summary>
public class WriteRefusedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The one write path to the master. Every change to the Asterisk tables goes through <see cref="WriteAsync"/>:
/// one connection, strict SQL mode, one transaction holding the change and its audit entries, and the commit's
/// GTID read on that same connection (<c>@@last_gtid</c> is per session; EF's pooled connections lose it).
/// Callers authorize and validate before they call it.
/// The transaction is begun and ended in SQL rather than with a MySqlTransaction, so that strict mode and the begin
/// share one round trip, and the audit entries, the COMMIT and the GTID another; every way out that did not commit
/// sends ROLLBACK (see <see cref="RollbackAsync"/>), since a pooled connection must never carry an open transaction.
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

    private const string Begin = StrictSession.Statement + "; SET TRANSACTION ISOLATION LEVEL READ COMMITTED; START TRANSACTION";

    private long changes;

    /// <summary>
    /// How many writes through this writer may have changed the tables (committed, or lost while committing). A read
    /// kept in memory stays valid while this number stays the same; changes made elsewhere (another portal instance,
    /// a database client) it cannot see, so such a cache also keeps its entries only briefly.
    /// </summary>
    public long Changes => Interlocked.Read(ref changes);

    public Task<WriteResult> WriteAsync(Caller caller, string action, Func<WriteScope, CancellationToken, Task> work, CancellationToken ct) =>
        WriteAsync(caller, action, beginInFirstBatch: false, work, ct);

    /// <param name="beginInFirstBatch">
    /// The work sends its first statements with <see cref="WriteScope.FirstBatch"/>, and strict mode and the begin go
    /// in front of them instead of in a round trip of their own (the office toggle's flip: the write users repeat most,
    /// and whose time to "live everywhere" is a target). A pooled connection that died since its last write then fails
    /// in the work rather than in the begin; before COMMIT the server keeps nothing of a lost connection's transaction,
    /// so the work runs once more on a new connection.
    /// </param>
    public async Task<WriteResult> WriteAsync(Caller caller, string action, bool beginInFirstBatch, Func<WriteScope, CancellationToken, Task> work, CancellationToken ct)
    {
        if (!caller.IsSignedIn)
        {
            throw new AccessDeniedException("Sign in first.");
        }
        master.ThrowIfDown();
        var clock = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await BeginAsync(sendBegin: !beginInFirstBatch, ct);
            await using var scope = new WriteScope(() =>
            {
                var db = new AsteriskDb(new DbContextOptionsBuilder<AsteriskDb>(noConnection).UseMySql(connection, serverVersion).Options);
                // The connection is inside the writer's transaction already: a transaction of EF's own around SaveChanges
                // would commit the work half-way (START TRANSACTION commits the open one) and audit-less.
                db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
                return db;
            }, connection, beginInFirstBatch ? Begin : null);
            int rows;
            string? gtid;
            var committing = false;
            var committed = false;
            try
            {
                await work(scope, ct);
                var tracked = scope.DbIfUsed is { } db ? TrackedChanges(db) : [];
                rows = (scope.DbIfUsed is { } used ? await used.SaveChangesAsync(ct) : 0) + scope.ExtraAudit.Count;
                // Keys of added rows exist only after SaveChanges (auto_increment), so the entries are built now.
                var audit = tracked.Select(build => build()).Concat(scope.ExtraAudit).ToList();
                committing = true;
                gtid = await CommitAsync(connection, caller, action, audit);
                committed = true;
            }
            catch (Exception e) when (beginInFirstBatch && attempt == 1 && !committing && MasterState.ConnectionFailure(e) is not null)
            {
                log.LogInformation("A pooled connection to the master was dead ({Reason}); trying the write again on a new one.", e.Message);
                await MySqlConnection.ClearPoolAsync(connection, ct);
                continue;
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
            finally
            {
                if (committing)
                {
                    Interlocked.Increment(ref changes);
                }
                if (!committed)
                {
                    await RollbackAsync(connection);
                }
            }
            var committedAt = Stopwatch.GetTimestamp();
            log.LogInformation("{User} {Action}: {Rows} row(s), GTID {Gtid}", caller.UserName, action, rows, gtid);
            return new WriteResult(gtid, rows, clock.Elapsed, committedAt);
        }
    }

    /// <summary>
    /// A connection to the master in strict SQL mode, inside a new read-committed transaction, in one round trip
    /// (SET TRANSACTION sets the next transaction's level only, so none is left behind for the next user of the
    /// connection). A pooled connection can have died since its last write (a master restart, the server's
    /// wait_timeout); this batch is then what fails, before any change was sent, and a transaction that had only begun
    /// cannot have committed: the pool's idle connections are dropped and the batch is tried once more on a new one.
    /// </summary>
    private async Task<MySqlConnection> BeginAsync(bool sendBegin, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = new MySqlConnection(writeConnection);
            var opened = false;
            try
            {
                await connection.OpenAsync(ct);
                opened = true;
                if (sendBegin)
                {
                    await using var begin = new MySqlCommand(Begin, connection);
                    await begin.ExecuteNonQueryAsync(ct);
                }
                return connection;
            }
            catch (Exception e) when (opened && attempt == 1 && MasterState.ConnectionFailure(e) is not null)
            {
                log.LogInformation("A pooled connection to the master was dead ({Reason}); trying a new one.", e.Message);
                await MySqlConnection.ClearPoolAsync(connection, ct);
                await connection.DisposeAsync();
            }
            catch (MySqlException e) when (!opened && MasterState.IsConnectTimeout(e))
            {
                // Slow, not down (whether it is down is the probe's to say): the portal stays writable.
                await connection.DisposeAsync();
                throw new WriteRefusedException("The master did not accept a connection in time, so the change was not saved. Try again in a moment.", e);
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
            // One row in one statement needs no transaction of its own; strict mode like every write.
            await using var command = AuditCommand(connection, StrictSession.Statement, caller, "denied: " + action, [new AuditChange(table, key, null, null)], null);
            await command.ExecuteNonQueryAsync(ct);
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
            // Defence in depth behind every form's own rule: no row leaves the portal with a control character in a
            // value it wrote (a line break would split a line of the extensions.conf export, a header, a CSV row).
            if (entry.Properties.FirstOrDefault(p => (state == EntityState.Added || p.IsModified) && p.CurrentValue is string text && ControlCharacters.IndexIn(text) >= 0) is { } dirty)
            {
                throw new WriteRefusedException($"{table}.{dirty.Metadata.GetColumnName()} {ControlCharacters.Problem((string)dirty.CurrentValue!)}. Nothing was saved.");
            }
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

    /// <summary>
    /// The audit entries, the COMMIT and the commit's GTID in one round trip: same connection, same transaction, so the
    /// entries commit with the change or not at all, and <c>@@last_gtid</c> read right after the COMMIT is this commit's.
    /// Not cancellable: a COMMIT cancelled half-way would leave the outcome unknown.
    /// </summary>
    private async Task<string?> CommitAsync(MySqlConnection connection, Caller caller, string action, IReadOnlyList<AuditChange> changes)
    {
        await using var command = AuditCommand(connection, null, caller, action, changes, "COMMIT; SELECT @@last_gtid");
        var gtid = await command.ExecuteScalarAsync(CancellationToken.None) as string;
        return string.IsNullOrEmpty(gtid) ? null : gtid;
    }

    /// <summary>One INSERT per entry, between the statements <paramref name="before"/> and <paramref name="after"/>, in one command.</summary>
    private MySqlCommand AuditCommand(MySqlConnection connection, string? before, Caller caller, string action, IReadOnlyList<AuditChange> changes, string? after)
    {
        var command = new MySqlCommand { Connection = connection };
        var statements = new List<string>();
        if (before is not null)
        {
            statements.Add(before);
        }
        command.Parameters.AddWithValue("@at", DateTime.UtcNow);
        command.Parameters.AddWithValue("@user", caller.UserName);
        command.Parameters.AddWithValue("@tenant", caller.TenantKey);
        command.Parameters.AddWithValue("@action", Truncate(action, 40));
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            statements.Add($"INSERT INTO `{options.PortalDatabase}`.audit_log (at, user_name, tenant_key, action, table_name, row_key, old_values, new_values) " +
                $"VALUES (@at, @user, @tenant, @action, @table{i}, @key{i}, @old{i}, @new{i})");
            command.Parameters.AddWithValue($"@table{i}", change.Table);
            command.Parameters.AddWithValue($"@key{i}", Truncate(change.Key, 200));
            command.Parameters.AddWithValue($"@old{i}", AuditChange.ToJson(change.Table, change.Old));
            command.Parameters.AddWithValue($"@new{i}", AuditChange.ToJson(change.Table, change.New));
        }
        if (after is not null)
        {
            statements.Add(after);
        }
        command.CommandText = string.Join("; ", statements);
        return command;
    }

    /// <summary>
    /// Ends a write that did not commit. The next write on this pooled connection begins with START TRANSACTION, which
    /// would commit a transaction left open here, half a change and no audit entry. A connection that cannot roll back
    /// is not given back to the pool: clearing the pool closes it when it is returned, instead of keeping it.
    /// </summary>
    private async Task RollbackAsync(MySqlConnection connection)
    {
        if (connection.State != ConnectionState.Open)
        {
            return;
        }
        try
        {
            await using var rollback = new MySqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is MySqlException or InvalidOperationException or IOException)
        {
            log.LogWarning("A failed write could not roll back ({Reason}); its connection is closed instead of pooled.", e.Message);
            await MySqlConnection.ClearPoolAsync(connection, CancellationToken.None);
        }
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    private static WriteRefusedException Translate(MySqlException e) => e.ErrorCode switch
    {
        MySqlErrorCode.DuplicateKeyEntry => new WriteRefusedException("A row with the same key already exists: " + e.Message, e),
        MySqlErrorCode.DataTooLong => new WriteRefusedException("A value is longer than its column allows, and was not truncated: " + e.Message, e),
        MySqlErrorCode.OptionPreventsStatement => new WriteRefusedException("The database is read-only (is this the master?): " + e.Message, e),
        _ => new WriteRefusedException("The database refused the change: " + e.Message, e),
    };
}
