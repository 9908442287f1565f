using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Dialplan;

namespace Portal.IntegrationTests.Dialplan;

/// <summary>The dialplan feature wired as Program.cs wires it, against the test cluster (or another database on it).</summary>
public sealed class DialplanServices
{
    /// <param name="readConnection">An open connection every read goes through, so a test can read its session's counters.</param>
    public DialplanServices(DatabaseOptions? database = null, MySqlConnector.MySqlConnection? readConnection = null)
    {
        Database = database ?? TestCluster.Database();
        var version = ServerVersion.Parse(Database.ServerVersion);
        var asterisk = readConnection is null
            ? new DbContextOptionsBuilder<AsteriskDb>().UseMySql(Database.AsteriskConnectionString, version)
            : new DbContextOptionsBuilder<AsteriskDb>().UseMySql(readConnection, version);
        AsteriskFactory = new PooledDbContextFactory<AsteriskDb>(asterisk.Options);
        PortalFactory = new PooledDbContextFactory<PortalDb>(new DbContextOptionsBuilder<PortalDb>().UseMySql(Database.PortalConnectionString, version).Options);
        var tenants = new TenantDirectory(PortalFactory);
        var schema = RealtimeSchema.FromMigration();
        var writer = TestCluster.Writer(Database);
        var steps = new StepFormValidator(schema);
        var cluster = new Portal.Web.Features.Nodes.ClusterAsterisk(PortalFactory);
        // Nothing kept: these tests also change the table without the write path, and read what they wrote.
        Queries = new DialplanQueries(AsteriskFactory, tenants, writer, steps, new ContextCounts(writer, TimeProvider.System) { Lifetime = TimeSpan.Zero }, cluster);
        QueriesKeepingCounts = new DialplanQueries(AsteriskFactory, tenants, writer, steps, new ContextCounts(writer, TimeProvider.System), cluster);
        Commands = new DialplanCommands(writer, steps, new NewContextFormValidator(schema), new ContextNameFormValidator(schema), tenants, AsteriskFactory, Options.Create(Database), cluster);
    }

    public DatabaseOptions Database { get; }

    public IDbContextFactory<AsteriskDb> AsteriskFactory { get; }

    public IDbContextFactory<PortalDb> PortalFactory { get; }

    public DialplanQueries Queries { get; }

    /// <summary>The queries as the portal runs them, keeping the contexts pager's count between writes.</summary>
    public DialplanQueries QueriesKeepingCounts { get; }

    public DialplanCommands Commands { get; }

    public static readonly Caller Operator = new("dialplan-test-operator", IsOperator: true, TenantKey: null);

    /// <summary>A context name no other test uses (extensions.context is varchar(20)).</summary>
    public static string UniqueContext(string prefix = "t") => $"{prefix}-{Guid.NewGuid():N}"[..16];

    /// <summary>A tenant of its own with these contexts; returns its key.</summary>
    public async Task<string> CreateTenantAsync(params string[] contexts)
    {
        var key = "t" + Guid.NewGuid().ToString("N")[..10];
        await using var db = await PortalFactory.CreateDbContextAsync();
        db.Tenants.Add(new Tenant { Key = key, Name = "Test " + key, Contexts = contexts.Select(c => new TenantContext { Context = c }).ToList() });
        await db.SaveChangesAsync();
        return key;
    }

    /// <summary>Rows of a context on a node, as "exten,priority,app(appdata)" in key order.</summary>
    public static async Task<string> RowsAsync(string connectionString, string context)
    {
        await using var connection = new MySqlConnector.MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new MySqlConnector.MySqlCommand(
            "SELECT GROUP_CONCAT(CONCAT(exten, ',', priority, ',', app, '(', appdata, ')') ORDER BY exten, priority SEPARATOR '\n') FROM asteriskdb.extensions WHERE context = @c", connection);
        command.Parameters.AddWithValue("@c", context);
        return await command.ExecuteScalarAsync() as string ?? "";
    }
}
