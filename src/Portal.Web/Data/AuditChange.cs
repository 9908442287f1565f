using System.Text.Encodings.Web;
using System.Text.Json;

namespace Portal.Web.Data;

/// <summary>One row's change inside a write: the table, its key, and the old and new values (secrets masked).</summary>
public sealed record AuditChange(string Table, string Key, IReadOnlyDictionary<string, object?>? Old, IReadOnlyDictionary<string, object?>? New)
{
    public const string Masked = "********";

    /// <summary>Columns whose values never reach the audit log in clear.</summary>
    public static readonly IReadOnlySet<(string Table, string Column)> SecretColumns = new HashSet<(string, string)>
    {
        ("sip", "secret"), ("sip", "md5secret"), ("pins", "pin"), ("voicemail", "password"),
    };

    // Stored and shown as text (never as raw HTML), so quotes and angle brackets of a callerid stay readable.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string? ToJson(string table, IReadOnlyDictionary<string, object?>? values) =>
        values is null
            ? null
            : JsonSerializer.Serialize(values.ToDictionary(
                v => v.Key,
                v => SecretColumns.Contains((table, v.Key)) && v.Value is not null && !Equals(v.Value, "") ? Masked : v.Value),
                Json);
}
