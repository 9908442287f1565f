using Portal.Web.Data;

namespace Portal.IntegrationTests.Data;

[Collection(ClusterCollection.Name)]
public sealed class MigrationTests
{
    [Fact]
    public async Task Migrations_run_twice_change_nothing()
    {
        var before = await SchemaFingerprintAsync("asteriskdb", "portal");
        var applied = await TestCluster.Migrator().MigrateAsync(CancellationToken.None);
        Assert.Empty(applied);
        Assert.Equal(before, await SchemaFingerprintAsync("asteriskdb", "portal"));
        var versions = await TestCluster.RootSqlAsync("master", "SELECT COUNT(*), COUNT(DISTINCT version) FROM portal.schema_version");
        Assert.Equal($"{Migrator.Files().Count()}\t{Migrator.Files().Count()}", versions);
    }

    [Fact]
    public async Task Fresh_install_has_the_recommended_schema()
    {
        var findings = await new SchemaCheck(Microsoft.Extensions.Options.Options.Create(TestCluster.Database()), RealtimeSchema.FromMigration()).CheckAsync(CancellationToken.None);
        // Stored steps to edit (Remedy) depend on what other tests wrote; the schema itself has nothing to add.
        Assert.DoesNotContain(findings, f => f.Remedy is null);
    }

    [Fact]
    public async Task Hand_made_classic_asteriskdb_is_left_alone_and_its_gaps_are_listed()
    {
        // A classic MyISAM sip table as the 1.2-era howtos made it: no defaultuser/useragent/lastms/regserver,
        // fullcontact varchar(80), ipaddr varchar(15).
        await TestCluster.RootSqlAsync("master", """
            DROP DATABASE IF EXISTS classicdb; DROP DATABASE IF EXISTS classicportal;
            CREATE DATABASE classicdb; CREATE DATABASE classicportal;
            CREATE TABLE classicdb.sip (id int(11) NOT NULL auto_increment, name varchar(80) NOT NULL default '', host varchar(31) NOT NULL default '',
              nat varchar(5) NOT NULL default 'no', type varchar(6) NOT NULL default 'friend', secret varchar(80), context varchar(80), callerid varchar(80),
              fullcontact varchar(80), ipaddr varchar(15) NOT NULL default '', port varchar(5) NOT NULL default '', regseconds int(11) NOT NULL default 0,
              username varchar(80) NOT NULL default '', insecure varchar(4), PRIMARY KEY (id), UNIQUE KEY name (name)) ENGINE=MyISAM;
            CREATE TABLE classicdb.extensions (id int(11) NOT NULL auto_increment, context varchar(20) NOT NULL default '', exten varchar(20) NOT NULL default '',
              priority tinyint(4) NOT NULL default 0, app varchar(20) NOT NULL default '', appdata varchar(128) NOT NULL default '',
              PRIMARY KEY (context, exten, priority), KEY id (id)) ENGINE=MyISAM;
            INSERT INTO classicdb.sip (name, host) VALUES ('1001', 'dynamic');
            GRANT ALL ON classicdb.* TO 'migrator'@'127.0.0.1'; GRANT ALL ON classicportal.* TO 'migrator'@'127.0.0.1';
            GRANT SELECT, INSERT, UPDATE, DELETE ON classicdb.* TO 'portal'@'127.0.0.1'; GRANT SELECT, INSERT, UPDATE, DELETE ON classicportal.* TO 'portal'@'127.0.0.1';
            """);
        var database = TestCluster.Database("classicdb", "classicportal");
        var sipBefore = await TestCluster.RootSqlAsync("master", "SHOW CREATE TABLE classicdb.sip");

        await TestCluster.Migrator(database).MigrateAsync(CancellationToken.None);

        Assert.Equal(sipBefore, await TestCluster.RootSqlAsync("master", "SHOW CREATE TABLE classicdb.sip"));
        Assert.Equal("1", await TestCluster.RootSqlAsync("master", "SELECT COUNT(*) FROM classicdb.sip"));
        var schema = RealtimeSchema.FromMigration();
        var check = new SchemaCheck(Microsoft.Extensions.Options.Options.Create(database), schema);
        var findings = await check.CheckAsync(CancellationToken.None);
        var what = string.Join("\n", findings.Select(f => f.What));
        foreach (var missing in new[] { "sip.defaultuser is missing", "sip.useragent is missing", "sip.lastms is missing", "sip.regserver is missing", "sip.regexten is missing", "sip uses MyISAM", "sip.fullcontact holds 80" })
        {
            Assert.Contains(missing, what);
        }

        // Validation follows the live schema: the classic ipaddr is 15 wide, not our 45.
        await check.ReloadAsync(CancellationToken.None);
        Assert.Equal(15, schema.MaxLength("sip", "ipaddr"));

        var applied = await TestCluster.Migrator(database).ApplyRecommendedAsync(CancellationToken.None);
        Assert.NotEmpty(applied);
        Assert.DoesNotContain(await check.CheckAsync(CancellationToken.None), f => f.Sql is not null);
        Assert.Equal("1", await TestCluster.RootSqlAsync("master", "SELECT COUNT(*) FROM classicdb.sip WHERE name = '1001'"));
    }

    [Fact]
    public async Task Duplicate_mailboxes_in_a_hand_made_asteriskdb_are_listed_and_the_unique_key_waits_until_they_are_gone()
    {
        await TestCluster.RootSqlAsync("master", """
            DROP DATABASE IF EXISTS dupvmdb; DROP DATABASE IF EXISTS dupvmportal;
            CREATE DATABASE dupvmdb; CREATE DATABASE dupvmportal;
            CREATE TABLE dupvmdb.sip (id int(11) NOT NULL auto_increment, name varchar(80) NOT NULL default '', PRIMARY KEY (id), UNIQUE KEY name (name)) ENGINE=InnoDB;
            CREATE TABLE dupvmdb.voicemail (uniqueid int(11) NOT NULL auto_increment, customer_id varchar(11) NOT NULL default '0', context varchar(50) NOT NULL default '',
              mailbox varchar(11) NOT NULL default '0', password varchar(5) NOT NULL default '0', fullname varchar(150) NOT NULL default '',
              PRIMARY KEY (uniqueid), KEY context_mailbox (context, mailbox)) ENGINE=InnoDB;
            INSERT INTO dupvmdb.voicemail (context, mailbox, fullname) VALUES ('company-a', '3203', 'one'), ('company-a', '3203', 'two'), ('company-a', '3203', 'three'), ('company-a', '3204', 'only');
            GRANT ALL ON dupvmdb.* TO 'migrator'@'127.0.0.1'; GRANT ALL ON dupvmportal.* TO 'migrator'@'127.0.0.1';
            GRANT SELECT, INSERT, UPDATE, DELETE ON dupvmdb.* TO 'portal'@'127.0.0.1'; GRANT SELECT, INSERT, UPDATE, DELETE ON dupvmportal.* TO 'portal'@'127.0.0.1';
            """);
        var database = TestCluster.Database("dupvmdb", "dupvmportal");
        var before = await TestCluster.RootSqlAsync("master", "SHOW CREATE TABLE dupvmdb.voicemail");

        await TestCluster.Migrator(database).MigrateAsync(CancellationToken.None);

        Assert.Equal(before, await TestCluster.RootSqlAsync("master", "SHOW CREATE TABLE dupvmdb.voicemail"));
        var check = new SchemaCheck(Microsoft.Extensions.Options.Options.Create(database), RealtimeSchema.FromMigration());
        var refused = Assert.Single(await check.CheckAsync(CancellationToken.None), f => f.What.Contains("context_mailbox"));
        Assert.Null(refused.Sql);
        Assert.Contains("context/mailbox company-a/3203 (3 rows)", refused.What);
        Assert.DoesNotContain("3204", refused.What);

        await TestCluster.RootSqlAsync("master", "DELETE FROM dupvmdb.voicemail WHERE fullname IN ('two', 'three')");
        var recommended = Assert.Single(await check.CheckAsync(CancellationToken.None), f => f.What.Contains("context_mailbox"));
        Assert.Equal("index context_mailbox on voicemail is not unique", recommended.What);
        await TestCluster.Migrator(database).ApplyRecommendedAsync(CancellationToken.None);
        Assert.Contains("UNIQUE KEY `context_mailbox` (`context`,`mailbox`)", await TestCluster.RootSqlAsync("master", "SHOW CREATE TABLE dupvmdb.voicemail"));
    }

    private static Task<string> SchemaFingerprintAsync(params string[] schemas) =>
        TestCluster.RootSqlAsync("master",
            "SELECT MD5(GROUP_CONCAT(CONCAT_WS(':', TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, IFNULL(COLUMN_DEFAULT, 'NULL')) ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION)) " +
            $"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN ({string.Join(",", schemas.Select(s => $"'{s}'"))})");
}
