using Microsoft.AspNetCore.Mvc;

namespace Porthole.Pipeline;

/// <summary>
/// Porthole's own errors: RFC 7807 problem+json with a machine-readable <c>code</c> and the
/// <c>requestId</c>.
/// </summary>
internal static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string code, string title, string? detail = null,
        IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        foreach (var (key, value) in extensions ?? [])
        {
            problem.Extensions[key] = value;
        }

        // Also set here: the ProblemDetails service skips its customization when the client's
        // Accept names no JSON type (a browser asking for HTML), and the answer must still carry it.
        problem.Extensions["requestId"] = context.GetRequestId();
        return Results.Problem(problem).ExecuteAsync(context);
    }

    /// <summary>The default <c>code</c> for a status when the writer gave none.</summary>
    public static string CodeFor(int? status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "body_too_large",
        429 => "rate_limited",
        504 => "timeout",
        _ => "internal_error",
    };
}

/// <summary>A <see cref="Problems"/> answer as an endpoint result.</summary>
internal sealed class ProblemResult(int status, string code, string title, string? detail = null) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext) => Problems.WriteAsync(httpContext, status, code, title, detail);
}
