using System.ComponentModel.DataAnnotations;
using MySqlConnector;

namespace Portal.Web.Data;

/// <summary>Where the master is and how the portal talks to it. Bound from "Database".</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The portal's own account on the master: DML on asteriskdb and portal, nothing more.</summary>
    [Required]
    public string Master { get; set; } = "";

    /// <summary>The account that may run DDL; used only to apply migrations and recommended schema changes.</summary>
    [Required]
    public string Migrator { get; set; } = "";

    /// <summary>Fixed rather than auto-detected, so start-up does not depend on the master answering.</summary>
    [Required]
    public string ServerVersion { get; set; } = "10.11.0-mariadb";

    [Required]
    public string AsteriskDatabase { get; set; } = "asteriskdb";

    [Required]
    public string PortalDatabase { get; set; } = "portal";

    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// The master's connection string for one database. Pomelo insists on AllowUserVariables and UseAffectedRows=false
    /// for a connection it is handed open, as the write path does.
    /// </summary>
    public string MasterFor(string database) =>
        new MySqlConnectionStringBuilder(Master) { Database = database, AllowUserVariables = true, UseAffectedRows = false }.ConnectionString;

    public string AsteriskConnectionString => MasterFor(AsteriskDatabase);

    public string PortalConnectionString => MasterFor(PortalDatabase);
}
