using Porthole.Hosting;
using Porthole.Pipeline;
using Porthole.Terminal;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// <c>GET /api/v1/terminal/recordings/{id}</c>: a terminal's asciicast v2 recording
/// (<c>application/x-asciicast</c>), for the user who made it and for members of
/// PORTHOLE_ADMIN_GROUP. To anyone else, and for an id that is not a recording id (e.g. a path),
/// it does not exist: 404. The id is in the terminal's audit entry and the hub's last
/// terminal frame; a running terminal's recording reads as far as it has been written.
/// </summary>
public static class RecordingsApi
{
    public const string ContentType = "application/x-asciicast";

    public static IEndpointRouteBuilder MapPortholeRecordings(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPortholeApiGroup().MapGet("/terminal/recordings/{id}", GetAsync)
            .WithName("TerminalRecording").WithSummary("A terminal's asciicast v2 recording (its user and admins only)");
        return endpoints;
    }

    private static async Task<IResult> GetAsync(HttpContext context, string id, TerminalRecordings recordings, PortholeOptions options)
    {
        var user = context.GetPortholeUser()!;
        if (!TerminalRecordings.IsValidId(id)
            || await recordings.OwnerAsync(id, context.RequestAborted) is not { } owner
            || (owner != user.Name && !user.Groups.Contains(options.AdminGroup)))
        {
            return NotFound();
        }

        var found = await recordings.CopyToAsync(id, (chunk, ct) => context.Response.Body.WriteAsync(chunk, ct).AsTask(), () =>
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = ContentType;
            context.Response.Headers.CacheControl = "no-store";
        }, context.RequestAborted);
        return found ? Results.Empty : NotFound();
    }

    private static ProblemResult NotFound() =>
        new(StatusCodes.Status404NotFound, "not_found", "No such recording", "There is no terminal recording with this id that you may read.");
}
