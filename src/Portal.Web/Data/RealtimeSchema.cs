using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Portal.Web.Data;

/// <summary>
/// The character lengths of the Asterisk tables' columns, as the connected database really has them. Validators
/// check every value against these, because MySQL outside strict mode truncates silently and a hand-made
/// asteriskdb may be narrower than ours. Until the live schema is read, the sizes of our own migration apply.
/// </summary>
public sealed partial class RealtimeSchema
{
    private volatile FrozenDictionary<(string Table, string Column), int> lengths;

    public RealtimeSchema(IReadOnlyDictionary<(string Table, string Column), int> lengths)
    {
        this.lengths = lengths.ToFrozenDictionary();
    }

    /// <summary>The sizes our migration creates; also what unit tests validate against.</summary>
    public static RealtimeSchema FromMigration() =>
        new(ParseCreateTables(File.ReadAllText(Path.Combine(Migrator.Folder, "0001_asterisk_realtime_tables.sql"))));

    /// <summary>The declared length of a char/varchar column; 0 when the column does not exist.</summary>
    public int MaxLength(string table, string column) => lengths.GetValueOrDefault((table, column));

    public bool HasColumn(string table, string column) => lengths.ContainsKey((table, column));

    public void Replace(IReadOnlyDictionary<(string Table, string Column), int> live) => lengths = live.ToFrozenDictionary();

    public static Dictionary<(string Table, string Column), int> ParseCreateTables(string sql)
    {
        var result = new Dictionary<(string, string), int>();
        string? table = null;
        foreach (var line in sql.Split('\n'))
        {
            if (CreateTable().Match(line) is { Success: true } create)
            {
                table = create.Groups[1].Value;
            }
            else if (table is not null && Column().Match(line) is { Success: true } column)
            {
                result[(table, column.Groups[1].Value)] = column.Groups[2].Success ? int.Parse(column.Groups[2].Value) : -1;
            }
        }
        return result;
    }

    [GeneratedRegex(@"CREATE TABLE IF NOT EXISTS asteriskdb\.(\w+)")]
    private static partial Regex CreateTable();

    // A column line: name, then its type; the length for (var)char, -1 for other types (they exist, without a length).
    [GeneratedRegex(@"^\s*`?(\w+)`?\s+(?:(?:var)?char\((\d+)\)|(?:tiny)?int|timestamp|enum)")]
    private static partial Regex Column();
}
