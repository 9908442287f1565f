using Microsoft.Net.Http.Headers;
using Portal.Web.Data;

namespace Portal.Web.Features.Pins;

/// <summary>
/// <c>GET /pins/export.csv?tenant=company-a</c>: the tenant's PINs as a file download. An endpoint rather than a
/// component, so the browser saves it like any download; the tenant check is <see cref="PinCommands.ExportAsync"/>'s.
/// </summary>
public static class PinExportEndpoint
{
    public const string Path = "/pins/export.csv";

    public static IEndpointConventionBuilder MapPinExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, async (HttpContext http, PinCommands commands, string? tenant) =>
        {
            var caller = Caller.From(http.User);
            var key = tenant ?? caller.TenantKey;
            if (key is null)
            {
                return Results.BadRequest("Name the tenant: ?tenant=<key>.");
            }
            IAsyncEnumerable<(string Stored, string Active)>? pins;
            try
            {
                pins = await commands.ExportAsync(caller, key, http.RequestAborted);
            }
            catch (AccessDeniedException e)
            {
                return Results.Text(e.Message, statusCode: StatusCodes.Status403Forbidden);
            }
            if (pins is null)
            {
                // The key is not echoed: it may hold anything the query string could carry.
                return Results.Text("There is no such tenant: check the tenant key in ?tenant=.", statusCode: StatusCodes.Status404NotFound);
            }
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.CacheControl = "no-store";
            // Encoded by the header's own rules (a quoted filename and an RFC 5987 filename*), never pasted in raw.
            var disposition = new ContentDispositionHeaderValue("attachment");
            disposition.SetHttpFileName($"pins-{key}.csv");
            http.Response.Headers.ContentDisposition = disposition.ToString();
            await using var output = new StreamWriter(http.Response.Body);
            await PinCsv.WriteAsync(output, pins, http.RequestAborted);
            return Results.Empty;
        }).RequireAuthorization(Policies.TenantData);
}
