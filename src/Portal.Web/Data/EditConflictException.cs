using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Web.Data;

/// <summary>
/// The save was refused: the row changed since the form was opened. The Asterisk tables and the tenants have no
/// version column, so a form keeps a fingerprint of the values it was opened with (<see cref="Of"/>) and the command
/// compares it with the row's, locked, in the write's transaction. <see cref="Current"/> is the row's fingerprint now:
/// the original of an overwrite the user chose.
/// </summary>
public sealed class EditConflictException(string what, string current)
    : WriteRefusedException($"{what} was changed by someone else since you opened it, so nothing was saved: reload to see their change, or overwrite it with yours.")
{
    public string Current { get; } = current;

    /// <summary>A digest, not the values: a PIN's fingerprint must not carry its digits around in the circuit.</summary>
    public static string Of(params object?[] values) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(values))));

    /// <summary>
    /// Throws when the form was opened on other values. A null original is a caller that opened no form (a bulk
    /// action, a test): it has nothing to compare.
    /// </summary>
    public static void ThrowIfChanged(string what, string? original, string current)
    {
        if (original is not null && original != current)
        {
            throw new EditConflictException(what, current);
        }
    }
}
