using System.Text;
using Portal.Web.Data;

namespace Portal.Web.Features.SipPeers;

/// <summary>
/// GET /sip-peers/export.csv: the filtered list as CSV, streamed row by row (the import's columns first, then the
/// registration columns for reading). Secrets only with secrets=true, and such an export is audited.
/// </summary>
public static class SipPeerExport
{
    public const string Path = "/sip-peers/export.csv";

    public static string Url(SipPeerFilter filter, bool secrets) =>
        Path + "?" + string.Join('&', new[]
        {
            ("search", filter.Search), ("contains", filter.Contains ? "true" : null), ("tenant", filter.TenantKey),
            ("context", filter.Context), ("registration", filter.Registration == RegistrationState.Any ? null : filter.Registration.ToString()),
            ("secrets", secrets ? "true" : null),
        }.Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => p.Item1 + "=" + Uri.EscapeDataString(p.Item2!)));

    public static IEndpointRouteBuilder MapSipPeerExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, ExportAsync).RequireAuthorization(Policies.Operator);
        return app;
    }

    private static async Task ExportAsync(
        HttpContext http, SipPeerList list, MasterWriter writer,
        string? search, bool? contains, string? tenant, string? context, RegistrationState? registration, bool? secrets)
    {
        var caller = Caller.From(http.User);
        var filter = new SipPeerFilter(search, contains == true, string.IsNullOrEmpty(tenant) ? null : tenant, context, registration ?? RegistrationState.Any);
        var ct = http.RequestAborted;
        var withSecrets = secrets == true;
        if (withSecrets)
        {
            // Nothing changes, but who took the secrets home is worth a line in the audit log.
            await writer.WriteAsync(caller, "export peer secrets", (scope, _) =>
            {
                scope.Audit(new AuditChange("sip", "export", null, new Dictionary<string, object?> { ["filter"] = filter.ToString() }));
                return Task.CompletedTask;
            }, ct);
        }
        var columns = SipPeerImport.Columns.Where(c => withSecrets || !AuditChange.SecretColumns.Contains(("sip", c))).ToList();
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"sip-peers-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv\"";
        await using var output = new StreamWriter(http.Response.Body, new UTF8Encoding(false));
        await output.WriteAsync(Csv.Line(columns.Concat(SipPeerImport.ReadOnlyColumns)));
        var rows = 0;
        await foreach (var peer in list.AllAsync(caller, filter, ct))
        {
            var values = SipPeerForm.Snapshot(peer);
            await output.WriteAsync(Csv.Line(columns.Select(c => c == "port" ? peer.Port : values[c]).Concat(
            [
                peer.Ipaddr, peer.Regseconds.ToString(), Registration.Decoded(peer.Useragent), peer.Lastms.ToString(),
                Registration.Decoded(peer.Fullcontact), peer.Regserver, peer.Defaultuser, peer.Username,
            ])));
            if (++rows % 1000 == 0)
            {
                await output.FlushAsync(ct);
            }
        }
    }
}
