using Portal.Web.Data;

namespace Portal.IntegrationTests.Data;

/// <summary>The schema check against what a real Asterisk writes and runs: columns it needs wider, and stored steps
/// the cluster's oldest node cannot run.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SchemaAsteriskTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Columns_asterisk_writes_are_listed_with_the_message_they_prevent_and_applied()
    {
        var database = await HandMadeAsync("h2sizedb", "h2sizeportal");
        var check = new SchemaCheck(Microsoft.Extensions.Options.Options.Create(database), RealtimeSchema.FromMigration());

        var findings = await check.CheckAsync(None);

        Assert.Contains(findings, f => f.What == "voicemail.password holds 5 characters, 10 recommended" && f.Why.Contains("should be at least 10 long"));
        Assert.Contains(findings, f => f.What == "sip.useragent holds 80 characters, 255 recommended" && f.Why.Contains("Data too long for column 'useragent'"));
        Assert.Contains(findings, f => f.What == "sip.fullcontact holds 255 characters, 1024 recommended" && f.Why.Contains("^3B"));
        Assert.Contains(findings, f => f.What == "sip.callbackextension is missing" && f.Why.Contains("Unknown column 'callbackextension'"));

        await TestCluster.Migrator(database).ApplyRecommendedAsync(None);

        Assert.Equal("varchar(80)", await TestCluster.RootSqlAsync("master",
            "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'h2sizedb' AND TABLE_NAME = 'voicemail' AND COLUMN_NAME = 'password'"));
        Assert.Equal("varchar(1024)", await TestCluster.RootSqlAsync("master",
            "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'h2sizedb' AND TABLE_NAME = 'sip' AND COLUMN_NAME = 'fullcontact'"));
        Assert.DoesNotContain(await check.CheckAsync(None), f => f.Sql is not null);
    }

    [Fact]
    public async Task Stored_steps_calling_what_the_oldest_node_lacks_are_listed()
    {
        var database = await HandMadeAsync("h2stepdb", "h2stepportal");
        await TestCluster.RootSqlAsync("master", """
            INSERT INTO h2stepdb.extensions (context, exten, priority, app, appdata) VALUES
              ('company-a', 's', 2, 'RealTime', 'extensions|app|company-a|flag_'),
              ('company-a', '*20', 1, 'Set', 'REALTIME(extensions|app|company-a|appdata)=on'),
              ('company-a', 's', 3, 'GotoIf', '$["${REALTIME_FIELD(extensions|app|company-a|appdata)}" = "on"]?closed|1'),
              ('company-a', 's', 1, 'Answer', '');
            """);
        var check = new SchemaCheck(Microsoft.Extensions.Options.Options.Create(database), RealtimeSchema.FromMigration());

        // No node declared: the portal's default family, 11, which has the functions and not RealTime.
        var eleven = (await check.CheckAsync(None)).Where(f => f.Remedy is not null).ToList();
        var step = Assert.Single(eleven);
        Assert.Equal("step s, priority 2 of company-a calls RealTime(extensions|app|company-a|flag_)", step.What);
        Assert.Contains("REALTIME_FIELD", step.Why);

        // A 1.4 node joins: RealTime runs there, REALTIME_FIELD does not.
        await TestCluster.RootSqlAsync("master", """
            CREATE TABLE h2stepportal.nodes (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, asterisk_version varchar(10) NOT NULL);
            INSERT INTO h2stepportal.nodes (asterisk_version) VALUES ('11'), ('1.4');
            """);
        var oneFour = (await check.CheckAsync(None)).Where(f => f.Remedy is not null).ToList();
        Assert.Equal("step s, priority 3 of company-a calls GotoIf($[\"${REALTIME_FIELD(extensions|app|company-a|appdata)}\" = \"on\"]?closed|1)", Assert.Single(oneFour).What);
    }

    /// <summary>A classic asteriskdb made by hand, with the columns as the howtos made them.</summary>
    private static async Task<DatabaseOptions> HandMadeAsync(string db, string portal)
    {
        await TestCluster.RootSqlAsync("master", $"""
            DROP DATABASE IF EXISTS {db}; DROP DATABASE IF EXISTS {portal};
            CREATE DATABASE {db}; CREATE DATABASE {portal};
            CREATE TABLE {db}.sip (id int(11) NOT NULL auto_increment, name varchar(80) NOT NULL default '', fullcontact varchar(255),
              useragent varchar(80), PRIMARY KEY (id)) ENGINE=InnoDB;
            CREATE TABLE {db}.extensions (id int(11) NOT NULL auto_increment, context varchar(20) NOT NULL default '', exten varchar(20) NOT NULL default '',
              priority tinyint(4) NOT NULL default 0, app varchar(20) NOT NULL default '', appdata varchar(128) NOT NULL default '',
              PRIMARY KEY (context, exten, priority), KEY id (id)) ENGINE=InnoDB;
            CREATE TABLE {db}.voicemail (uniqueid int(11) NOT NULL auto_increment, context varchar(50) NOT NULL default '', mailbox varchar(11) NOT NULL default '0',
              password varchar(5) NOT NULL default '0', PRIMARY KEY (uniqueid)) ENGINE=InnoDB;
            GRANT ALL ON {db}.* TO 'migrator'@'127.0.0.1'; GRANT ALL ON {portal}.* TO 'migrator'@'127.0.0.1';
            GRANT SELECT, INSERT, UPDATE, DELETE ON {db}.* TO 'portal'@'127.0.0.1'; GRANT SELECT, INSERT, UPDATE, DELETE ON {portal}.* TO 'portal'@'127.0.0.1';
            """);
        return TestCluster.Database(db, portal);
    }
}
