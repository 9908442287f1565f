using System.IO.Compression;
using System.Text;
using Portal.Asterisk.Nodes;
using Portal.Web.Data;

namespace Portal.Web.Features.Nodes;

/// <summary>
/// The node files as downloads: all of them as a zip, or one by one. Operators only. Downloading the zip or
/// extensions.conf records the context list the file was made from, which tells later when it is out of date.
/// </summary>
public static class NodeDownloads
{
    public static string AllUrl(int id) => $"/nodes/{id}/files";

    public static string FileUrl(int id, string name) => $"/nodes/{id}/files/{Uri.EscapeDataString(name)}";

    public static void MapNodeDownloads(this IEndpointRouteBuilder app)
    {
        var files = app.MapGroup("/nodes/{id:int}/files").RequireAuthorization(Policies.Operator);
        files.MapGet("", AllAsync);
        files.MapGet("{name}", OneAsync);
    }

    /// <summary>The files in one folder named after the node, so unpacking several nodes' zips keeps them apart.</summary>
    public static byte[] Zip(string node, IEnumerable<NodeFile> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in files)
            {
                var entry = zip.CreateEntry($"{node}/{file.Name}", CompressionLevel.Optimal);
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(file.Text));
            }
        }
        return buffer.ToArray();
    }

    private static Task<IResult> AllAsync(int id, HttpContext http, NodeCommands commands, CancellationToken ct) =>
        WithFilesAsync(id, http, commands, ct, async (caller, spec, files) =>
        {
            await commands.RecordDownloadAsync(caller, id, spec.Contexts, ct);
            return Results.File(Zip(spec.Name, files), "application/zip", $"node-{spec.Name}.zip");
        });

    private static Task<IResult> OneAsync(int id, string name, HttpContext http, NodeCommands commands, CancellationToken ct) =>
        WithFilesAsync(id, http, commands, ct, async (caller, spec, files) =>
        {
            if (files.SingleOrDefault(f => f.Name == name) is not { } file)
            {
                return Results.NotFound();
            }
            if (file.Name == AsteriskFiles.ExtensionsConfFileName)
            {
                await commands.RecordDownloadAsync(caller, id, spec.Contexts, ct);
            }
            return Results.File(Encoding.UTF8.GetBytes(file.Text), "text/plain; charset=utf-8", file.Name);
        });

    private static async Task<IResult> WithFilesAsync(
        int id, HttpContext http, NodeCommands commands, CancellationToken ct, Func<Caller, NodeSpec, IReadOnlyList<NodeFile>, Task<IResult>> respond)
    {
        var caller = Caller.From(http.User);
        try
        {
            var spec = await commands.SpecAsync(caller, id, null, ct);
            if (spec.Problems() is { Count: > 0 } problems)
            {
                return Results.Text(string.Join("\n", problems), statusCode: StatusCodes.Status409Conflict);
            }
            return await respond(caller, spec, NodeFiles.All(spec));
        }
        catch (WriteRefusedException e)
        {
            return Results.Text(e.Message, statusCode: StatusCodes.Status404NotFound);
        }
        catch (AccessDeniedException)
        {
            return Results.Forbid();
        }
    }
}
