using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Portal.Web.Data;

/// <summary>
/// Applies the numbered SQL files of <c>migrations/</c> once each, recording them in <c>portal.schema_version</c>.
/// DDL commits implicitly in MySQL, so each file is written to be re-runnable (IF NOT EXISTS) should a run stop half-way.
/// Runs with the migrator account; the portal's own account has no DDL rights.
/// </summary>
public sealed partial class Migrator(IOptions<DatabaseOptions> options, SchemaCheck schemaCheck, ILogger<Migrator> log)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "migrations");

    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken ct)
    {
        var db = options.Value;
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(db.Migrator) { Database = "", AllowUserVariables = true }.ConnectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, StrictSession.Statement, ct);
        await ExecuteAsync(connection, $"CREATE DATABASE IF NOT EXISTS `{db.PortalDatabase}` CHARACTER SET utf8mb4", ct);
        await ExecuteAsync(connection, $"CREATE DATABASE IF NOT EXISTS `{db.AsteriskDatabase}` CHARACTER SET utf8mb4", ct);
        await ExecuteAsync(connection,
            $"CREATE TABLE IF NOT EXISTS `{db.PortalDatabase}`.schema_version (version int NOT NULL PRIMARY KEY, name varchar(200) NOT NULL, applied_at datetime(6) NOT NULL) ENGINE=InnoDB",
            ct);
        await ExecuteAsync(connection,
            $"CREATE TABLE IF NOT EXISTS `{db.PortalDatabase}`.settings (name varchar(100) NOT NULL PRIMARY KEY, value varchar(1000) NOT NULL) ENGINE=InnoDB",
            ct);

        // Whether the Asterisk tables were made by the portal decides if the recommended schema changes are ours to
        // apply at start-up, or the operator's to review (a hand-made classic asteriskdb is never altered silently).
        if (!await TableExistsAsync(connection, db.AsteriskDatabase, "sip", ct))
        {
            await ExecuteAsync(connection, $"INSERT IGNORE INTO `{db.PortalDatabase}`.settings (name, value) VALUES ('asterisk_schema', 'created-by-portal')", ct);
        }

        var applied = new HashSet<int>();
        await using (var command = new MySqlCommand($"SELECT version FROM `{db.PortalDatabase}`.schema_version", connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var done = new List<string>();
        foreach (var (version, name, path) in Files())
        {
            if (applied.Contains(version))
            {
                continue;
            }
            var sql = QualifiedNames().Replace(
                await File.ReadAllTextAsync(path, ct),
                m => m.Groups[1].Value == "asteriskdb" ? $"`{db.AsteriskDatabase}`." : $"`{db.PortalDatabase}`.");
            log.LogInformation("Applying migration {Name}", name);
            await ExecuteAsync(connection, sql, ct);
            await using var record = new MySqlCommand($"INSERT INTO `{db.PortalDatabase}`.schema_version (version, name, applied_at) VALUES (@v, @n, UTC_TIMESTAMP(6))", connection);
            record.Parameters.AddWithValue("@v", version);
            record.Parameters.AddWithValue("@n", name);
            await record.ExecuteNonQueryAsync(ct);
            done.Add(name);
        }

        if (await IsPortalOwnedAsync(connection, ct))
        {
            foreach (var finding in (await schemaCheck.CheckAsync(ct)).Where(f => f.Sql is not null))
            {
                log.LogInformation("Applying recommended change: {What}", finding.What);
                try
                {
                    await ExecuteAsync(connection, finding.Sql!, ct);
                }
                catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.BinLogCreateRoutineNeedSuper)
                {
                    // A master whose binlog refuses triggers from an account without SUPER (the context count's): the
                    // portal still starts, counts the slow way, and lists the change until the server allows it.
                    await ExecuteAsync(connection, "UNLOCK TABLES", ct);
                    log.LogWarning("Not applied: {What}: {Error}", finding.What, e.Message);
                    continue;
                }
                done.Add(finding.What);
            }
        }
        await schemaCheck.ReloadAsync(ct);
        return done;
    }

    /// <summary>Applies what the schema check recommends: the operator's one command for a hand-made asteriskdb.</summary>
    public async Task<IReadOnlyList<SchemaFinding>> ApplyRecommendedAsync(CancellationToken ct)
    {
        var findings = (await schemaCheck.CheckAsync(ct)).Where(f => f.Sql is not null).ToList();
        await using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(options.Value.Migrator) { Database = "" }.ConnectionString);
        await connection.OpenAsync(ct);
        foreach (var finding in findings)
        {
            log.LogInformation("Applying recommended change: {What}", finding.What);
            await ExecuteAsync(connection, finding.Sql!, ct);
        }
        await schemaCheck.ReloadAsync(ct);
        return findings;
    }

    private async Task<bool> IsPortalOwnedAsync(MySqlConnection connection, CancellationToken ct)
    {
        await using var command = new MySqlCommand($"SELECT value FROM `{options.Value.PortalDatabase}`.settings WHERE name = 'asterisk_schema'", connection);
        return await command.ExecuteScalarAsync(ct) as string == "created-by-portal";
    }

    public static IEnumerable<(int Version, string Name, string Path)> Files() =>
        Directory.GetFiles(Folder, "*.sql")
            .Select(path => (Path: path, Name: System.IO.Path.GetFileNameWithoutExtension(path)))
            .Select(f => (int.Parse(f.Name.Split('_')[0]), f.Name, f.Path))
            .OrderBy(f => f.Item1);

    /// <summary>The files name the databases by their default names; the configured names replace them.</summary>
    [GeneratedRegex(@"\b(asteriskdb|portal)\.(?=[\w`])")]
    private static partial Regex QualifiedNames();

    private static async Task<bool> TableExistsAsync(MySqlConnection connection, string schema, string table, CancellationToken ct)
    {
        await using var command = new MySqlCommand("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = @s AND TABLE_NAME = @t", connection);
        command.Parameters.AddWithValue("@s", schema);
        command.Parameters.AddWithValue("@t", table);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct)) > 0;
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new MySqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
