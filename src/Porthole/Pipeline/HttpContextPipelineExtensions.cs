using Porthole.Auth;
using Porthole.Pipeline;

namespace Microsoft.AspNetCore.Http;

/// <summary>Reads the per-request features that the pipeline stages set.</summary>
public static class HttpContextPipelineExtensions
{
    /// <summary>The X-Request-ID of this request ("" before the RequestID stage ran).</summary>
    public static string GetRequestId(this HttpContext context) => context.Features.Get<IRequestIdFeature>()?.RequestId ?? "";

    /// <summary>The CSP nonce of this response, for inline script and style tags of index.html.</summary>
    public static string? GetCspNonce(this HttpContext context) => context.Features.Get<ICspNonceFeature>()?.Nonce;

    /// <summary>The signed-in user, once the Auth stage ran.</summary>
    public static PortholeUser? GetPortholeUser(this HttpContext context) => context.Features.Get<IPortholeUserFeature>()?.User;

    /// <summary>Who Kubernetes calls made for this request act as.</summary>
    public static IImpersonationFeature? GetImpersonation(this HttpContext context) => context.Features.Get<IImpersonationFeature>();
}
