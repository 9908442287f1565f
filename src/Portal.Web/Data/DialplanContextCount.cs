using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;

namespace Portal.Web.Data;

/// <summary>
/// The dialplan's context count, kept by the database itself: asteriskdb.dialplan_contexts holds one row per context
/// with its number of steps, and triggers on extensions keep it exact whoever writes (this portal, Asterisk's
/// RealTimeUpdate, phpMyAdmin, a script). Counting ten thousand contexts from extensions is a loose scan of the
/// primary key, one index dive per context (20-25 ms at a million rows), and no query shape or index does better;
/// counting this table's rows takes about a millisecond.
/// </summary>
/// <remarks>
/// The table lives in asteriskdb beside extensions, not in the portal's database: the triggers then name no other
/// database, so a dump of asteriskdb restored elsewhere, or a replica that replicates asteriskdb alone, never holds a
/// trigger whose writes fail (which would fail every write to extensions, Asterisk's too). With ROW binlog the
/// triggers' changes reach the replicas as rows of this table, and a replica does not fire triggers for row events,
/// so nothing is counted twice. <see cref="SchemaCheck"/> installs it; until an operator does, the count falls back
/// to the loose scan.
/// </remarks>
public static class DialplanContextCount
{
    public const string Table = "dialplan_contexts";

    public const string InsertTrigger = "dialplan_contexts_insert";

    public const string DeleteTrigger = "dialplan_contexts_delete";

    public const string UpdateTrigger = "dialplan_contexts_update";

    public static readonly string[] Triggers = [InsertTrigger, DeleteTrigger, UpdateTrigger];

    /// <summary>
    /// (Re)creates the table and its triggers and fills it, as one script. The fill runs under LOCK TABLES with the
    /// triggers already in place: no write to extensions can land between the count and the first trigger, and
    /// every write after the lock is counted by the triggers. Writers wait for the fill (about a second at a million
    /// rows); readers of the count see either no triggers (and count the slow way) or the filled table.
    /// </summary>
    /// <param name="contextType">extensions.context's own type, charset and collation, so both compare names alike.</param>
    public static string InstallSql(string db, string contextType)
    {
        var table = $"`{db}`.`{Table}`";
        var extensions = $"`{db}`.`extensions`";
        // The bodies name the table unqualified: a trigger runs in its own database, wherever that is restored.
        const string decrement = $"""
            UPDATE {Table} SET steps = steps - 1 WHERE context = OLD.context;
              DELETE FROM {Table} WHERE context = OLD.context AND steps = 0;
            """;
        const string increment = $"INSERT INTO {Table} (context, steps) VALUES (NEW.context, 1) ON DUPLICATE KEY UPDATE steps = steps + 1";
        return $"""
            {string.Concat(Triggers.Select(t => $"DROP TRIGGER IF EXISTS `{db}`.`{t}`;\n"))}DROP TABLE IF EXISTS {table};
            CREATE TABLE {table} (context {contextType} NOT NULL PRIMARY KEY, steps int NOT NULL) ENGINE=InnoDB;
            LOCK TABLES {extensions} WRITE, {table} WRITE;
            CREATE TRIGGER `{db}`.`{InsertTrigger}` AFTER INSERT ON {extensions} FOR EACH ROW
              {increment};
            CREATE TRIGGER `{db}`.`{DeleteTrigger}` AFTER DELETE ON {extensions} FOR EACH ROW
            BEGIN
              {decrement}
            END;
            CREATE TRIGGER `{db}`.`{UpdateTrigger}` AFTER UPDATE ON {extensions} FOR EACH ROW
            IF NEW.context <> OLD.context THEN
              {increment};
              {decrement}
            END IF;
            INSERT INTO {table} (context, steps) SELECT context, COUNT(*) FROM {extensions} GROUP BY context;
            UNLOCK TABLES
            """;
    }

    /// <summary>
    /// The number of contexts (starting with the prefix) from the maintained table, or null where its triggers are
    /// not all installed: without them the table is missing or stale. Asked on the context's own connection, so it
    /// reads the master or a replica as the caller's context does.
    /// </summary>
    public static async Task<int?> CountAsync(AsteriskDb db, string? prefix, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var triggers = Command(connection,
                "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 'extensions' " +
                $"AND TRIGGER_NAME IN ('{InsertTrigger}', '{DeleteTrigger}', '{UpdateTrigger}')");
            if (Convert.ToInt32(await triggers.ExecuteScalarAsync(ct)) < Triggers.Length)
            {
                return null;
            }
            // No LIKE '%' without a prefix: it costs a comparison per row, half the count's time.
            await using var count = Command(connection, string.IsNullOrEmpty(prefix) ? $"SELECT COUNT(*) FROM {Table}" : $"SELECT COUNT(*) FROM {Table} WHERE context LIKE @prefix");
            if (!string.IsNullOrEmpty(prefix))
            {
                count.Parameters.Add(new MySqlParameter("@prefix", Features.Dialplan.DialplanQueries.Prefix(prefix)));
            }
            return Convert.ToInt32(await count.ExecuteScalarAsync(ct));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}
