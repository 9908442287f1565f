using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Asterisk.Dialplan;
using Portal.Web.Features.Nodes;

namespace Portal.Web.Data;

/// <summary>Something the connected asteriskdb lacks or has in a risky form, with the statement that fixes it.</summary>
/// <summary>Sql is null where no statement can fix it: a missing table (run the migrations), or a stored row to edit (Remedy).</summary>
public sealed record SchemaFinding(string Table, string What, string Why, string? Sql, string? Remedy = null);

/// <summary>
/// Compares the connected asteriskdb with what the portal and a real chan_sip need. On a hand-made classic schema it
/// lists the differences; nothing is altered until the operator applies them (<c>scripts/portal schema --apply</c>
/// or the button on the schema page).
/// </summary>
public sealed class SchemaCheck(IOptions<DatabaseOptions> options, RealtimeSchema schema)
{
    private sealed record ColumnRule(string Table, string Column, string Definition, int MinLength, string Why);

    private sealed record IndexRule(string Table, string Name, string Definition, string Why)
    {
        public bool Unique => Definition.StartsWith("UNIQUE ", StringComparison.Ordinal);

        public IReadOnlyList<string> Columns =>
            Definition[(Definition.IndexOf('(') + 1)..Definition.LastIndexOf(')')].Split(',', StringSplitOptions.TrimEntries);
    }

    /// <summary>How many duplicates are named at most: enough to find them, not a page of thousands.</summary>
    private const int DuplicatesListed = 20;

    private static readonly ColumnRule[] Columns =
    [
        // What Asterisk writes or asks for: each Why quotes the message the size prevents.
        new("sip", "fullcontact", "varchar(1024) DEFAULT NULL", 1024, "chan_sip stores the Contact as the phone sent it, every ';' grown to '^3B' (a 247-character Contact with 14 ';' took 275); a longer value fails the whole registration UPDATE (\"Data too long for column 'fullcontact'\") while the phone gets 200 OK, and the row stays stale"),
        new("sip", "ipaddr", "varchar(45) NOT NULL DEFAULT ''", 45, "an IPv6 address needs 45 characters"),
        new("sip", "defaultuser", "varchar(80) NOT NULL DEFAULT ''", 80, "chan_sip writes it on registration and warns on every registration without it"),
        new("sip", "useragent", "varchar(255) DEFAULT NULL", 255, "chan_sip writes the phone's User-Agent on registration: a 113-character one failed the whole registration UPDATE (\"Data too long for column 'useragent'\") while the phone got 200 OK"),
        new("sip", "callbackextension", "varchar(80) DEFAULT NULL", 80, "chan_sip 11 selects peers by it at every sip reload (\"Unknown column 'callbackextension'\" in the log each time without it)"),
        new("voicemail", "password", "varchar(80) NOT NULL DEFAULT '0'", 10, "app_voicemail warns at start \"Column 'password' should be at least 10 long\", and a longer password set from the phone is lost (\"Data too long for column 'password'\") while the caller hears \"password changed\"; app_voicemail keeps up to 80"),
        new("sip", "lastms", "int(11) NOT NULL DEFAULT 0", 0, "chan_sip writes the qualify latency there and warns on every registration without it"),
        new("sip", "regserver", "varchar(100) DEFAULT NULL", 100, "chan_sip writes the registering node's name there and warns on every registration without it"),
        new("sip", "regexten", "varchar(80) NOT NULL DEFAULT ''", 80, "chan_sip reads regexten (the 1.2-era column was regex)"),
        new("sip", "insecure", "varchar(20) DEFAULT NULL", 20, "the classic varchar(4) cannot hold 'port,invite'"),
        new("sip", "nat", "varchar(30) NOT NULL DEFAULT 'no'", 30, "the classic varchar(5) cannot hold 'force_rport,comedia'"),
    ];

    private static readonly IndexRule[] Indexes =
    [
        new("pins", "company_pin", "UNIQUE KEY company_pin (company, pin)", "a PIN is unique within its company, and a company's PINs are listed by this index"),
        new("pins", "pin", "KEY pin (pin)", "the dialplan looks PINs up by pin alone, and the list of every tenant's PINs pages by it"),
        new("pins", "active_pin", "KEY active_pin (active, pin)", "the list of every tenant's PINs filters by active or inactive; without it that reads the whole table"),
        new("pins", "company_active_pin", "KEY company_active_pin (company, active, pin)", "a tenant's PINs filtered by active or inactive are counted and paged by it; without it that reads all the tenant's rows"),
        // The voicemail list's keyset sorts and prefix searches (measured at 100,000 boxes: a deep page 180 ms -> under 1 ms).
        new("voicemail", "mailbox_context", "KEY mailbox_context (mailbox, context)", "app_voicemail finds a box by mailbox and context, and the list sorts and searches by mailbox"),
        new("voicemail", "context_mailbox", "UNIQUE KEY context_mailbox (context, mailbox)", "app_voicemail finds a box by context and mailbox, so a second row of the pair is a box nobody reaches (saves racing from several tabs made them); the list filters by tenant and context, and sorts by context"),
        new("voicemail", "fullname", "KEY fullname (fullname)", "the list searches and sorts by full name; without it every search reads the whole table"),
        new("voicemail", "email", "KEY email (email)", "the list searches and sorts by email"),
        // The peer list's prefix search, filters and keyset sorts (measured at 100,000 peers: a rare prefix 133 ms -> 0.06 ms).
        new("sip", "callerid", "KEY callerid (callerid)", "the peer list searches and sorts by caller ID; without it every search reads the whole table"),
        new("sip", "context", "KEY context (context)", "the peer list filters by tenant and context, searches and sorts by context"),
        new("sip", "accountcode", "KEY accountcode (accountcode)", "the peer list searches by account code"),
        new("sip", "ipaddr", "KEY ipaddr (ipaddr)", "the peer list searches by registered address"),
        new("sip", "useragent", "KEY useragent (useragent)", "the peer list searches by user agent"),
        new("sip", "regseconds", "KEY regseconds (regseconds)", "the peer list filters and sorts by registration state and expiry"),
        new("extensions", "app", "KEY app (app)", "RealTime(extensions|app|<tenant>) reads the office-closed flag row by app on every call to an auto-attendant, and RealTimeUpdate from a phone, the portal's switch and its watcher find it the same way: a full table scan each without it; the dialplan search by application uses it too"),
        new("extensions", "exten", "KEY exten (exten)", "the dialplan search finds an extension in every context by it (the primary key starts with context)"),
        new("extensions", "appdata", "KEY appdata (appdata)", "the dialplan search by the start of appdata (SIP/1001, 1001@company-a) uses it"),
    ];

    private static readonly string[] Tables = ["sip", "extensions", "voicemail", "pins"];

    /// <summary>What the last check found; the layout tells operators about it on every page.</summary>
    public IReadOnlyList<SchemaFinding> LastFindings { get; private set; } = [];

    public async Task<IReadOnlyList<SchemaFinding>> CheckAsync(CancellationToken ct)
    {
        var db = options.Value.AsteriskDatabase;
        await using var connection = new MySqlConnection(options.Value.MasterFor(db));
        await connection.OpenAsync(ct);
        var columns = await ReadColumnsAsync(connection, db, ct);
        var engines = new Dictionary<string, string>();
        var indexes = new Dictionary<(string, string), bool>();
        await using (var command = new MySqlCommand("SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = @db", connection))
        {
            command.Parameters.AddWithValue("@db", db);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                engines[reader.GetString(0)] = reader.IsDBNull(1) ? "" : reader.GetString(1);
            }
        }
        await using (var command = new MySqlCommand("SELECT DISTINCT TABLE_NAME, INDEX_NAME, NON_UNIQUE FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = @db", connection))
        {
            command.Parameters.AddWithValue("@db", db);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                indexes[(reader.GetString(0), reader.GetString(1))] = Convert.ToInt64(reader.GetValue(2)) == 0;
            }
        }

        var findings = new List<SchemaFinding>();
        foreach (var table in Tables.Where(t => !engines.ContainsKey(t)))
        {
            findings.Add(new SchemaFinding(table, $"table {table} is missing", "the portal cannot manage it", null));
        }
        foreach (var table in Tables.Where(t => engines.TryGetValue(t, out var engine) && !engine.Equals("InnoDB", StringComparison.OrdinalIgnoreCase)))
        {
            findings.Add(new SchemaFinding(table, $"{table} uses {engines[table]}", "MyISAM has no transactions: a failed multi-row change is left half-written", $"ALTER TABLE `{db}`.`{table}` ENGINE=InnoDB"));
        }
        foreach (var rule in Columns.Where(r => engines.ContainsKey(r.Table)))
        {
            if (!columns.TryGetValue((rule.Table, rule.Column), out var length))
            {
                findings.Add(new SchemaFinding(rule.Table, $"{rule.Table}.{rule.Column} is missing", rule.Why, $"ALTER TABLE `{db}`.`{rule.Table}` ADD COLUMN `{rule.Column}` {rule.Definition}"));
            }
            else if (rule.MinLength > 0 && length < rule.MinLength)
            {
                findings.Add(new SchemaFinding(rule.Table, $"{rule.Table}.{rule.Column} holds {length} characters, {rule.MinLength} recommended", rule.Why, $"ALTER TABLE `{db}`.`{rule.Table}` MODIFY COLUMN `{rule.Column}` {rule.Definition}"));
            }
        }
        // An index on a column that is neither there nor recommended (a classic sip without accountcode) cannot be made.
        bool CanIndex(IndexRule rule) =>
            rule.Columns.All(c => columns.ContainsKey((rule.Table, c)) || Columns.Any(r => r.Table == rule.Table && r.Column == c));
        foreach (var rule in Indexes.Where(r => engines.ContainsKey(r.Table) && CanIndex(r)))
        {
            var exists = indexes.TryGetValue((rule.Table, rule.Name), out var unique);
            if (exists && (unique || !rule.Unique))
            {
                continue;
            }
            if (rule.Unique && await DuplicatesAsync(connection, db, rule, ct) is { Count: > 0 } duplicates)
            {
                // The ALTER would fail on them: the operator decides which row of each pair stays.
                findings.Add(new SchemaFinding(rule.Table,
                    $"{rule.Table} has rows that share ({string.Join(", ", rule.Columns)}), so the unique index {rule.Name} cannot be made: {string.Join("; ", duplicates)}",
                    rule.Why + ". Delete or change the extra rows, then check again", null));
                continue;
            }
            findings.Add(new SchemaFinding(rule.Table,
                exists ? $"index {rule.Name} on {rule.Table} is not unique" : $"index {rule.Name} on {rule.Table} is missing",
                rule.Why, $"ALTER TABLE `{db}`.`{rule.Table}` {(exists ? $"DROP KEY `{rule.Name}`, " : "")}ADD {rule.Definition}"));
        }
        if (engines.ContainsKey("extensions"))
        {
            findings.AddRange(await CheckContextCountAsync(connection, db, ct));
            findings.AddRange(await CheckStepsAsync(connection, db, options.Value.PortalDatabase, ct));
        }
        LastFindings = findings;
        return findings;
    }

    /// <summary>
    /// The maintained context count (<see cref="DialplanContextCount"/>): its table with extensions.context's own
    /// type and collation, and all three triggers. Any gap reinstalls the whole of it, as a stale table is no count.
    /// </summary>
    private static async Task<IEnumerable<SchemaFinding>> CheckContextCountAsync(MySqlConnection connection, string db, CancellationToken ct)
    {
        var types = new Dictionary<string, string>();
        await using (var command = new MySqlCommand(
            "SELECT TABLE_NAME, CONCAT(COLUMN_TYPE, IFNULL(CONCAT(' CHARACTER SET ', CHARACTER_SET_NAME, ' COLLATE ', COLLATION_NAME), '')) " +
            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @db AND TABLE_NAME IN ('extensions', @table) AND COLUMN_NAME = 'context'", connection))
        {
            command.Parameters.AddWithValue("@db", db);
            command.Parameters.AddWithValue("@table", DialplanContextCount.Table);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                types[reader.GetString(0)] = reader.GetString(1);
            }
        }
        var triggers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var command = new MySqlCommand("SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @db AND EVENT_OBJECT_TABLE = 'extensions'", connection))
        {
            command.Parameters.AddWithValue("@db", db);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                triggers.Add(reader.GetString(0));
            }
        }
        if (!types.TryGetValue("extensions", out var contextType))
        {
            return [];
        }
        var gaps = new List<string>();
        if (!types.TryGetValue(DialplanContextCount.Table, out var kept))
        {
            gaps.Add($"table {DialplanContextCount.Table} is missing");
        }
        else if (kept != contextType)
        {
            gaps.Add($"{DialplanContextCount.Table}.context is {kept}, extensions.context is {contextType}");
        }
        gaps.AddRange(DialplanContextCount.Triggers.Where(t => !triggers.Contains(t)).Select(t => $"trigger {t} is missing"));
        return gaps.Count == 0
            ? []
            :
            [
                new SchemaFinding("extensions", $"the dialplan's context count is not maintained ({string.Join(", ", gaps)})",
                    "the dialplan page's total and the home page count every context otherwise, one index dive per context (20-25 ms at a million rows, after every write); " +
                    "triggers on extensions keep the count exact whoever writes. Creating them needs SUPER or log_bin_trust_function_creators=ON, and the account that applies this becomes their definer: keep it",
                    DialplanContextCount.InstallSql(db, contextType)),
            ];
    }

    /// <summary>Steps shown in full; the rest are counted.</summary>
    public const int StepsListed = 50;

    /// <summary>
    /// Stored steps that call an application or function the cluster's oldest Asterisk family lacks (the nodes declared
    /// on /nodes; the default family while none is). At call time the node only logs "No such application" and the
    /// caller hears silence or is cut off, so they are listed here, to be edited.
    /// </summary>
    private static async Task<IEnumerable<SchemaFinding>> CheckStepsAsync(MySqlConnection connection, string db, string portalDb, CancellationToken ct)
    {
        var labels = new List<string>();
        await using (var command = new MySqlCommand($"SELECT DISTINCT asterisk_version FROM `{portalDb}`.nodes", connection))
        {
            try
            {
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    labels.Add(reader.GetString(0));
                }
            }
            catch (MySqlException e) when (e.ErrorCode == MySqlErrorCode.NoSuchTable)
            {
                // Before the nodes migration: no node is declared.
            }
        }
        var family = ClusterAsterisk.Oldest(labels);
        var apps = ApplicationCatalog.ApplicationsMissingIn(family);
        var functions = ApplicationCatalog.FunctionsMissingIn(family);
        var where = new List<string>();
        await using var find = new MySqlCommand { Connection = connection };
        if (apps.Count > 0)
        {
            where.Add($"app IN ({string.Join(", ", apps.Select((a, i) => $"@a{i}"))})");
            find.Parameters.AddRange(apps.Select((a, i) => new MySqlParameter($"@a{i}", a)).ToArray());
        }
        for (var i = 0; i < functions.Count; i++)
        {
            where.Add($"appdata LIKE @f{i}");
            find.Parameters.AddWithValue($"@f{i}", $"%{functions[i].Replace("_", "\\_")}(%");
        }
        if (where.Count == 0)
        {
            return [];
        }
        find.CommandText = $"SELECT context, exten, priority, app, appdata FROM `{db}`.extensions WHERE {string.Join(" OR ", where)} ORDER BY context, exten, priority";
        var findings = new List<SchemaFinding>();
        var more = 0;
        await using var rows = await find.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
        {
            var missing = ApplicationCatalog.MissingIn(family, rows.GetString(3), rows.GetString(4));
            if (missing.Count == 0)
            {
                continue;
            }
            if (findings.Count == StepsListed)
            {
                more++;
                continue;
            }
            findings.Add(new SchemaFinding("extensions",
                $"step {rows.GetString(1)}, priority {rows.GetInt32(2)} of {rows.GetString(0)} calls {rows.GetString(3)}({rows.GetString(4)})",
                string.Join("; ", missing), null, "edit the step on its context's page"));
        }
        if (more > 0)
        {
            findings.Add(new SchemaFinding("extensions", $"{more} more step(s) call what {family} lacks", "as above", null, "edit them on their contexts' pages"));
        }
        return findings;
    }

    /// <summary>The values a unique index would refuse, each with how many rows share it (the first few).</summary>
    private static async Task<List<string>> DuplicatesAsync(MySqlConnection connection, string db, IndexRule rule, CancellationToken ct)
    {
        var columns = string.Join(", ", rule.Columns.Select(c => $"`{c}`"));
        await using var command = new MySqlCommand(
            $"SELECT CONCAT_WS('/', {columns}), COUNT(*) FROM `{db}`.`{rule.Table}` GROUP BY {columns} HAVING COUNT(*) > 1 ORDER BY {columns} LIMIT {DuplicatesListed + 1}", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var duplicates = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            duplicates.Add(duplicates.Count == DuplicatesListed ? "and more" : $"{string.Join("/", rule.Columns)} {reader.GetString(0)} ({reader.GetInt64(1)} rows)");
        }
        return duplicates;
    }

    /// <summary>Reads the live column sizes into <see cref="RealtimeSchema"/>, so validation follows the real database.</summary>
    public async Task ReloadAsync(CancellationToken ct)
    {
        var db = options.Value.AsteriskDatabase;
        await using var connection = new MySqlConnection(options.Value.MasterFor(db));
        await connection.OpenAsync(ct);
        schema.Replace(await ReadColumnsAsync(connection, db, ct));
    }

    private static async Task<Dictionary<(string, string), int>> ReadColumnsAsync(MySqlConnection connection, string db, CancellationToken ct)
    {
        var columns = new Dictionary<(string, string), int>();
        await using var command = new MySqlCommand("SELECT TABLE_NAME, COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @db", connection);
        command.Parameters.AddWithValue("@db", db);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            columns[(reader.GetString(0), reader.GetString(1))] = reader.IsDBNull(2) ? -1 : (int)Math.Min(int.MaxValue, Convert.ToInt64(reader.GetValue(2)));
        }
        return columns;
    }
}
