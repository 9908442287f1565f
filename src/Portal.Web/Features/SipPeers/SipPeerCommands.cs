using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Portal.Web.Data;

namespace Portal.Web.Features.SipPeers;

/// <summary>One column someone else changed since the form was opened: the value the form would write, and theirs.</summary>
public sealed record ConflictingColumn(string Column, string? Yours, string? Theirs)
{
    public bool IsSecret => AuditChange.SecretColumns.Contains(("sip", Column));
}

/// <summary>
/// The save was refused: the peer changed since the form was opened (the Asterisk tables have no version column, so
/// the original values of the edited columns are compared). <see cref="Current"/> is the row as it is now, so the
/// user can take theirs, or overwrite with theirs as the new original.
/// </summary>
public sealed class SipPeerConflict(SipPeer current, IReadOnlyList<ConflictingColumn> columns)
    : Exception($"Peer {current.Name} was changed by someone else since you opened it ({string.Join(", ", columns.Select(c => c.Column))}). Nothing was saved.")
{
    public SipPeer Current { get; } = current;

    public IReadOnlyList<ConflictingColumn> Columns { get; } = columns;
}

/// <summary>Every write to the sip table: operators only, validated by the form's validator, one transaction on the master.</summary>
public sealed class SipPeerCommands(MasterWriter writer, SipPeerFormValidator validator, IOptions<SipDigestOptions> digest)
{
    public string Realm => digest.Value.Realm;

    public async Task<(int Id, WriteResult Result)> CreateAsync(Caller caller, SipPeerForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "create peer", form.Name, ct);
        await validator.ValidateAndThrowAsync(form, ct);
        var peer = new SipPeer();
        var result = await writer.WriteAsync(caller, "create peer", async (scope, token) =>
        {
            await ThrowIfNameTakenAsync(scope.Db, form.Name, null, token);
            form.ApplyTo(peer, Realm, isNew: true);
            scope.Db.SipPeers.Add(peer);
        }, ct);
        return (peer.Id, result);
    }

    /// <summary>
    /// Saves the form over the peer if the edited columns still hold <paramref name="original"/> (their values when the
    /// form was opened); otherwise throws <see cref="SipPeerConflict"/>. Only the edited columns are written: what
    /// Asterisk wrote meanwhile (ipaddr, regseconds, ...) stays.
    /// </summary>
    public async Task<WriteResult> UpdateAsync(Caller caller, int id, IReadOnlyDictionary<string, string?> original, SipPeerForm form, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "edit peer", id.ToString(), ct);
        await validator.ValidateAndThrowAsync(form, ct);
        return await writer.WriteAsync(caller, "edit peer", async (scope, token) =>
        {
            var peer = await LockAsync(scope, id, token);
            var mine = new SipPeer();
            form.ApplyTo(mine, Realm, isNew: false);
            ThrowIfChanged(peer, original, SipPeerForm.Snapshot(mine));
            if (!string.Equals(peer.Name, form.Name, StringComparison.Ordinal))
            {
                await ThrowIfNameTakenAsync(scope.Db, form.Name, id, token);
            }
            form.ApplyTo(peer, Realm, isNew: false);
        }, ct);
    }

    public async Task<WriteResult> DeleteAsync(Caller caller, int id, IReadOnlyDictionary<string, string?> original, CancellationToken ct)
    {
        await RequireOperatorAsync(caller, "delete peer", id.ToString(), ct);
        return await writer.WriteAsync(caller, "delete peer", async (scope, token) =>
        {
            var peer = await LockAsync(scope, id, token);
            // Deleting what someone has just changed is an overwrite too.
            ThrowIfChanged(peer, original, new Dictionary<string, string?>());
            scope.Db.SipPeers.Remove(peer);
        }, ct);
    }

    internal async Task RequireOperatorAsync(Caller caller, string action, string key, CancellationToken ct)
    {
        if (!caller.IsOperator)
        {
            throw await writer.DenyAsync(caller, action, "sip", key, ct);
        }
    }

    /// <summary>Locks the row until the commit (Asterisk's registration UPDATE waits those few ms), then reads it.</summary>
    private static async Task<SipPeer> LockAsync(WriteScope scope, int id, CancellationToken ct)
    {
        await using (var command = new MySqlCommand("SELECT id FROM sip WHERE id = @id FOR UPDATE", scope.Connection))
        {
            command.Parameters.AddWithValue("@id", id);
            await command.ExecuteScalarAsync(ct);
        }
        return await scope.Db.SipPeers.SingleOrDefaultAsync(p => p.Id == id, ct)
            ?? throw new WriteRefusedException("This peer was deleted by someone else since you opened it. Nothing was saved.");
    }

    private static void ThrowIfChanged(SipPeer peer, IReadOnlyDictionary<string, string?> original, IReadOnlyDictionary<string, string?> mine)
    {
        var current = SipPeerForm.Snapshot(peer);
        var changed = SipPeerForm.EditedColumns
            .Where(c => !string.Equals(original.GetValueOrDefault(c), current[c], StringComparison.Ordinal))
            .Select(c => new ConflictingColumn(c, mine.GetValueOrDefault(c), current[c]))
            .ToList();
        if (changed.Count > 0)
        {
            throw new SipPeerConflict(peer, changed);
        }
    }

    /// <summary>The unique key refuses a duplicate too; this says so on the name field, before the database does.</summary>
    private static async Task ThrowIfNameTakenAsync(AsteriskDb db, string name, int? except, CancellationToken ct)
    {
        if (await db.SipPeers.AnyAsync(p => p.Name == name && p.Id != except, ct))
        {
            throw new ValidationException([new ValidationFailure(nameof(SipPeerForm.Name), $"Name: a peer named {name} exists already.")]);
        }
    }
}
