using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Porthole.Clusters;

namespace Porthole.Auth.Tokens;

/// <summary>
/// Token mode: asks the cluster who a pasted Kubernetes token belongs to with a SelfSubjectReview
/// made with that token (so Porthole's own identity needs no tokenreviews permission). Results
/// are cached (<see cref="ValidatedTokenCache"/>) so API clients sending the token as Bearer cost
/// one review a minute.
/// </summary>
public sealed partial class KubernetesTokenReviewer(ClusterRegistry clusters, ValidatedTokenCache cache, ILogger<KubernetesTokenReviewer> logger) : IBearerAuthenticator
{
    public Task<PortholeUser?> AuthenticateAsync(string token, CancellationToken cancellationToken) => ReviewAsync(token, null, cancellationToken);

    /// <summary>The token's user on <paramref name="cluster"/> (null: the first cluster), or null when the cluster rejects it.</summary>
    public async Task<PortholeUser?> ReviewAsync(string token, string? cluster, CancellationToken cancellationToken)
    {
        var entry = cluster is null ? clusters.Clusters.FirstOrDefault() : clusters.Clusters.FirstOrDefault(c => c.Name == cluster);
        if (entry is null)
        {
            return null;
        }

        if (cache.Get(entry.Name + "\n" + token) is { } cached)
        {
            return cached;
        }

        var source = entry.Configuration;
        var config = new KubernetesClientConfiguration
        {
            Host = source.Host,
            SslCaCerts = source.SslCaCerts,
            SkipTlsVerify = source.SkipTlsVerify,
            TlsServerName = source.TlsServerName,
            AccessToken = token,
        };
        using var client = new Kubernetes(config);
        try
        {
            var review = await client.AuthenticationV1.CreateSelfSubjectReviewAsync(new V1SelfSubjectReview(), cancellationToken: cancellationToken);
            var info = review.Status?.UserInfo;
            if (info?.Username is not { Length: > 0 } name)
            {
                return null;
            }

            var user = new PortholeUser(name, [.. info.Groups ?? []], AuthenticatedBy.Bearer) { Cluster = entry.Name, Token = new KubernetesToken(token) };
            cache.Add(entry.Name + "\n" + token, user, null);
            return user;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            LogRejected(logger, entry.Name, (int)e.Response.StatusCode);
            return null;
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information, Message = "Cluster {Cluster} rejected a token's SelfSubjectReview with {Status}")]
    private static partial void LogRejected(ILogger logger, string cluster, int status);
}
