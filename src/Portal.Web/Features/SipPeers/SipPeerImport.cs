using System.Text;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.SipPeers;

/// <summary>A problem with one cell of the CSV (line 1 is the header); warnings do not stop an import.</summary>
public sealed record ImportIssue(int Line, string Column, string Message);

public sealed record ImportReport(int Rows, IReadOnlyList<ImportIssue> Errors, IReadOnlyList<ImportIssue> Warnings)
{
    public bool CanApply => Errors.Count == 0 && Rows > 0;
}

/// <summary>Where a long import is: validating, then inserting.</summary>
public sealed record ImportProgress(string Stage, int Done, int Total);

/// <summary>The outcome of an import: the report, and the write when it was applied (null when there were errors).</summary>
public sealed record ImportOutcome(ImportReport Report, WriteResult? Result);

/// <summary>
/// CSV import of new peers: a dry run that reports every error by line and column (the form's validator on every row,
/// duplicates in the file and in the database), then all rows or none in one transaction. Rows go in as multi-row
/// INSERTs of <see cref="Batch"/> on the write scope's connection: 10,000 peers through the change tracker would be
/// 10,000 statements. The audit gets one summary entry and one entry per <see cref="AuditBatch"/> peers holding each
/// peer's id and values (secrets masked): one entry per peer made a 10,000-row import spend most of its time auditing.
/// </summary>
public sealed class SipPeerImport(
    SipPeerCommands commands, SipPeerFormValidator validator, SipPeerList list, IDbContextFactory<AsteriskDb> factory, MasterWriter writer)
{
    public const int Batch = 500;

    /// <summary>Peers per audit entry: 100 rows of values stay well inside audit_log's TEXT (64 KB).</summary>
    public const int AuditBatch = 100;

    /// <summary>Columns the import reads; the export writes these first.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "name", "type", "host", "port", "context", "callerid", "secret", "md5secret", "accountcode", "nat", "dtmfmode", "canreinvite",
        "qualify", "insecure", "mailbox", "deny", "permit", "language", "callgroup", "pickupgroup", "disallow", "allow",
    ];

    /// <summary>What the export adds for reading; the import skips them, since only Asterisk writes them.</summary>
    public static readonly IReadOnlyList<string> ReadOnlyColumns = ["ipaddr", "regseconds", "useragent", "lastms", "fullcontact", "regserver", "defaultuser", "username"];

    private sealed record Row(int Line, SipPeerForm Form);

    public async Task<ImportReport> DryRunAsync(Caller caller, string csv, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        await commands.RequireOperatorAsync(caller, "import peers (dry run)", "csv", ct);
        return (await CheckAsync(caller, csv, progress, ct)).Report;
    }

    public async Task<ImportOutcome> ApplyAsync(Caller caller, string csv, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        await commands.RequireOperatorAsync(caller, "import peers", "csv", ct);
        var (report, rows) = await CheckAsync(caller, csv, progress, ct);
        if (!report.CanApply)
        {
            return new ImportOutcome(report, null);
        }
        var result = await writer.WriteAsync(caller, "import peers", async (scope, token) =>
        {
            // The dry run's check again, inside the transaction: a peer created meanwhile would fail the unique key anyway.
            var taken = await TakenAsync(scope.Db, rows.Select(r => r.Form.Name).ToList(), token);
            if (taken.Count > 0)
            {
                throw new WriteRefusedException($"Peers created since the dry run: {string.Join(", ", taken.Take(10))}. Nothing was imported.");
            }
            var peers = rows.Select(r =>
            {
                var peer = new SipPeer();
                r.Form.ApplyTo(peer, commands.Realm, isNew: true);
                return peer;
            }).ToList();
            for (var i = 0; i < peers.Count; i += Batch)
            {
                await InsertAsync(scope, peers.Skip(i).Take(Batch).ToList(), token);
                progress?.Report(new ImportProgress("inserting", Math.Min(i + Batch, peers.Count), peers.Count));
            }
            var ids = await IdsAsync(scope.Db, peers.Select(p => p.Name).ToList(), token);
            scope.Audit(new AuditChange("sip", $"import of {peers.Count} peers", null, new Dictionary<string, object?>
            {
                ["rows"] = peers.Count,
                ["first"] = peers[0].Name,
                ["last"] = peers[^1].Name,
            }));
            foreach (var chunk in peers.Chunk(AuditBatch))
            {
                scope.Audit(new AuditChange("sip", $"ids {ids[chunk[0].Name]}..{ids[chunk[^1].Name]}", null, new Dictionary<string, object?>
                {
                    ["rows"] = chunk.Select(p => Masked(ids[p.Name], Values(p))).ToList(),
                }));
            }
        }, ct);
        return new ImportOutcome(report, result);
    }

    private async Task<(ImportReport Report, List<Row> Rows)> CheckAsync(Caller caller, string csv, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var errors = new List<ImportIssue>();
        var warnings = new List<ImportIssue>();
        var rows = new List<Row>();
        List<CsvRecord> records;
        try
        {
            records = Csv.Read(csv).ToList();
        }
        catch (FormatException e)
        {
            return (new ImportReport(0, [new ImportIssue(0, "", e.Message)], []), rows);
        }
        if (records.Count == 0)
        {
            return (new ImportReport(0, [new ImportIssue(1, "", "The file is empty: the first line names the columns (name, type, host, ...).")], []), rows);
        }
        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        foreach (var unknown in header.Where(h => !Columns.Contains(h) && !ReadOnlyColumns.Contains(h)))
        {
            errors.Add(new ImportIssue(1, unknown, $"Unknown column '{unknown}'. Columns: {string.Join(", ", Columns)}."));
        }
        foreach (var twice in header.GroupBy(h => h).Where(g => g.Count() > 1))
        {
            errors.Add(new ImportIssue(1, twice.Key, $"Column '{twice.Key}' appears {twice.Count()} times."));
        }
        if (!header.Contains("name"))
        {
            errors.Add(new ImportIssue(1, "name", "The name column is missing."));
        }
        if (errors.Count > 0)
        {
            return (new ImportReport(records.Count - 1, errors, warnings), rows);
        }

        var firstLine = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var generated = 0;
        var body = records.Skip(1).ToList();
        foreach (var record in body)
        {
            if (record.Fields.Count != header.Count)
            {
                errors.Add(new ImportIssue(record.Line, "", $"{record.Fields.Count} fields, but the header names {header.Count} columns."));
                continue;
            }
            var cells = header.Zip(record.Fields).ToDictionary(p => p.First, p => p.Second);
            var form = ToForm(cells);
            generated += string.IsNullOrWhiteSpace(cells.GetValueOrDefault("secret")) && string.IsNullOrWhiteSpace(cells.GetValueOrDefault("md5secret")) ? 1 : 0;
            var result = await validator.ValidateAsync(form, ct);
            errors.AddRange(result.Errors.Select(e => new ImportIssue(record.Line, ColumnOf(e.PropertyName, cells), e.ErrorMessage)));
            if (!firstLine.TryAdd(form.Name, record.Line) && form.Name.Length > 0)
            {
                errors.Add(new ImportIssue(record.Line, "name", $"Peer {form.Name} is on line {firstLine[form.Name]} already."));
            }
            rows.Add(new Row(record.Line, form));
            if (rows.Count % 1000 == 0)
            {
                progress?.Report(new ImportProgress("validating", rows.Count, body.Count));
            }
        }

        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var names = rows.Select(r => r.Form.Name).Where(n => n.Length > 0).ToList();
            var taken = await TakenAsync(db, names, ct);
            errors.AddRange(rows.Where(r => taken.Contains(r.Form.Name)).Select(r => new ImportIssue(r.Line, "name", $"A peer named {r.Form.Name} exists already: the import only creates peers.")));
        }
        var contexts = rows.GroupBy(r => r.Form.Context, StringComparer.OrdinalIgnoreCase).Where(g => g.Key.Length > 0).ToList();
        var missing = await list.WithoutDialplanAsync(caller, contexts.Select(g => g.Key).ToList(), ct);
        warnings.AddRange(contexts.Where(g => missing.Contains(g.Key)).Select(g =>
            new ImportIssue(g.First().Line, "context", $"No dialplan has context {g.Key} ({g.Count()} row(s)): these peers cannot call anywhere yet.")));
        if (generated > 0)
        {
            warnings.Add(new ImportIssue(1, "secret", $"{generated} row(s) without a secret or md5secret get a strong generated secret: export with secrets to hand them out."));
        }
        progress?.Report(new ImportProgress("validated", rows.Count, body.Count));
        return (new ImportReport(body.Count, errors.OrderBy(e => e.Line).ToList(), warnings), rows);
    }

    /// <summary>A CSV row as the form: absent columns keep the new-peer defaults; a missing secret is generated after validation.</summary>
    private static SipPeerForm ToForm(Dictionary<string, string> cells)
    {
        var form = new SipPeerForm();
        string Cell(string column, string fallback) => cells.TryGetValue(column, out var v) ? v.Trim() : fallback;
        form.Name = Cell("name", form.Name);
        form.Type = Cell("type", form.Type);
        form.Host = Cell("host", form.Host);
        form.Port = Cell("port", form.Port);
        form.Context = Cell("context", form.Context);
        form.Callerid = Cell("callerid", form.Callerid);
        form.Secret = Cell("secret", "");
        form.Md5secret = Cell("md5secret", "");
        form.StoreMd5 = form.Secret.Length == 0 && form.Md5secret.Length > 0;
        if (form.Secret.Length == 0 && !form.StoreMd5)
        {
            form.Secret = SipPeerForm.GenerateSecret();
        }
        form.Accountcode = Cell("accountcode", form.Accountcode);
        form.Nat = Cell("nat", form.Nat);
        form.Dtmfmode = Cell("dtmfmode", form.Dtmfmode);
        form.Canreinvite = Cell("canreinvite", form.Canreinvite);
        form.Qualify = Cell("qualify", form.Qualify);
        form.Insecure = Cell("insecure", form.Insecure);
        form.Mailbox = Cell("mailbox", form.Mailbox);
        form.Deny = Cell("deny", form.Deny);
        form.Permit = Cell("permit", form.Permit);
        form.Language = Cell("language", form.Language);
        form.Callgroup = Cell("callgroup", form.Callgroup);
        form.Pickupgroup = Cell("pickupgroup", form.Pickupgroup);
        form.Disallow = Cell("disallow", form.Disallow);
        if (cells.TryGetValue("allow", out var allow))
        {
            form.Codecs = Portal.Asterisk.Sip.Codecs.Parse(allow).ToList();
        }
        return form;
    }

    private static string ColumnOf(string property, Dictionary<string, string> cells) => property switch
    {
        nameof(SipPeerForm.Codecs) => "allow",
        nameof(SipPeerForm.Secret) when !cells.ContainsKey("secret") && cells.ContainsKey("md5secret") => "md5secret",
        _ => property.Split('[')[0].ToLowerInvariant(),
    };

    // EF.Constant: an IN list the name index serves; a parameterized collection becomes JSON_TABLE, which it does not.
    private static async Task<HashSet<string>> TakenAsync(AsteriskDb db, List<string> names, CancellationToken ct)
    {
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in names.Chunk(1000))
        {
            taken.UnionWith(await db.SipPeers.Where(p => EF.Constant(chunk).Contains(p.Name)).Select(p => p.Name).ToListAsync(ct));
        }
        return taken;
    }

    private static async Task<Dictionary<string, int>> IdsAsync(AsteriskDb db, List<string> names, CancellationToken ct)
    {
        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in names.Chunk(1000))
        {
            foreach (var p in await db.SipPeers.Where(p => EF.Constant(chunk).Contains(p.Name)).Select(p => new { p.Name, p.Id }).ToListAsync(ct))
            {
                ids[p.Name] = p.Id;
            }
        }
        return ids;
    }

    /// <summary>One multi-row INSERT of the edited columns and port, values as parameters, in the write scope's transaction.</summary>
    private static async Task InsertAsync(WriteScope scope, IReadOnlyList<SipPeer> peers, CancellationToken ct)
    {
        var columns = Values(peers[0]).Keys.ToList();
        var sql = new StringBuilder("INSERT INTO sip (").AppendJoin(", ", columns.Select(c => $"`{c}`")).Append(") VALUES ");
        await using var command = new MySqlCommand { Connection = scope.Connection };
        for (var r = 0; r < peers.Count; r++)
        {
            var values = Values(peers[r]);
            sql.Append(r == 0 ? "(" : ", (").AppendJoin(", ", columns.Select((_, c) => $"@p{r}_{c}")).Append(')');
            for (var c = 0; c < columns.Count; c++)
            {
                command.Parameters.AddWithValue($"@p{r}_{c}", values[columns[c]]);
            }
        }
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A row for an audit entry: its id, its values, the secrets masked as AuditChange masks them.</summary>
    private static Dictionary<string, object?> Masked(int id, Dictionary<string, object?> values)
    {
        var row = new Dictionary<string, object?> { ["id"] = id };
        foreach (var (column, value) in values)
        {
            row[column] = AuditChange.SecretColumns.Contains(("sip", column)) && value is string { Length: > 0 } ? AuditChange.Masked : value;
        }
        return row;
    }

    /// <summary>The columns an import writes, by name.</summary>
    private static Dictionary<string, object?> Values(SipPeer peer)
    {
        var values = SipPeerForm.Snapshot(peer).ToDictionary(v => v.Key, v => (object?)v.Value);
        values["port"] = peer.Port;
        return values;
    }
}
