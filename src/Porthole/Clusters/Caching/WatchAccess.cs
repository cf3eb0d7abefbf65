using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Porthole.Hub;

namespace Porthole.Clusters.Caching;

/// <summary>
/// Who may join a shared watch. Shared watches are made as the server's identity, so before a
/// user joins one (and again every <see cref="HubOptions.AccessRecheck"/> while subscribed)
/// Porthole asks the cluster whether that user may both <c>list</c> and <c>watch</c> the key's
/// resource in its namespace (no namespace: cluster-wide, as <c>kubectl get -A</c> needs):
/// <list type="bullet">
/// <item>impersonated users: a SubjectAccessReview for the user and groups, created as the server;</item>
/// <item>auth mode token: a SelfSubjectAccessReview made with the user's own token, never the server's;</item>
/// <item>auth mode none (the caller is the server identity): a SelfSubjectAccessReview as the server.</item>
/// </list>
/// Answers are cached per cluster, subject, verb, group, resource and namespace for
/// <see cref="HubOptions.AccessRecheck"/> (bounded by <see cref="HubOptions.AccessCacheEntries"/>);
/// concurrent askers share one review, and a review that failed is not cached.
/// </summary>
public sealed class WatchAccess(HubOptions options, TimeProvider time, ILogger<WatchAccess> logger)
{
    private static readonly TimeSpan ReviewTimeout = TimeSpan.FromSeconds(30);
    private readonly Lock _gate = new();
    private readonly Dictionary<AnswerKey, Answer> _answers = [];

    /// <summary>True when both list and watch are allowed; false when either is refused; null when a review could not be made.</summary>
    public async Task<bool?> AllowedAsync(Cluster cluster, KubeCredential credential, WatchKey key, CancellationToken cancellationToken)
    {
        var list = Review(cluster, credential, key, "list");
        var watch = Review(cluster, credential, key, "watch");
        var (mayList, mayWatch) = (await list.WaitAsync(cancellationToken), await watch.WaitAsync(cancellationToken));
        return mayList == false || mayWatch == false ? false : mayList is null || mayWatch is null ? null : true;
    }

    /// <summary>The refusal text: what may not be done where (no identity, no token).</summary>
    public static string Refusal(WatchKey key, string why) =>
        $"{why}: list and watch of {(key.Group.Length == 0 ? key.Resource : key.Resource + "." + key.Group)} {(key.Namespace.Length == 0 ? "in all namespaces (cluster-wide)" : $"in namespace \"{key.Namespace}\"")}";

    /// <summary>
    /// Who an answer is about: impersonated user and groups (each length-prefixed, so no name
    /// can pose as two: a group "a,b" is not the groups a and b), a digest of a user's own token
    /// (never the token), or the server's identity (auth mode none).
    /// </summary>
    public static string SubjectOf(KubeCredential credential) => credential switch
    {
        KubeCredential.Impersonation who => "user:" + string.Concat(who.Groups.Order(StringComparer.Ordinal).Prepend(who.User).Select(n => $"{n.Length}:{n}|")),
        KubeCredential.UserToken token => "token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token.Token)))[..32],
        _ => "server",
    };

    private Task<bool?> Review(Cluster cluster, KubeCredential credential, WatchKey key, string verb)
    {
        var id = new AnswerKey(cluster.Name, SubjectOf(credential), verb, key.Group, key.Resource, key.Namespace);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_answers.TryGetValue(id, out var cached) && cached.Expires > now)
            {
                return cached.Allowed;
            }

            if (_answers.Count >= options.AccessCacheEntries)
            {
                Prune(now);
            }

            var answer = new Answer(AskAsync(cluster, credential, key, verb), now + options.AccessRecheck);
            _answers[id] = answer;
            _ = answer.Allowed.ContinueWith(t => ForgetFailure(id, answer, t.IsCompletedSuccessfully ? t.Result : null), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return answer.Allowed;
        }
    }

    /// <summary>A failed review is asked again next time rather than remembered.</summary>
    private void ForgetFailure(AnswerKey id, Answer answer, bool? allowed)
    {
        if (allowed is null)
        {
            lock (_gate)
            {
                if (_answers.TryGetValue(id, out var current) && current == answer)
                {
                    _answers.Remove(id);
                }
            }
        }
    }

    /// <summary>Drops expired answers; if the cache is still full, drops them all (caller holds the lock).</summary>
    private void Prune(DateTimeOffset now)
    {
        foreach (var (id, answer) in _answers.Where(a => a.Value.Expires <= now).ToList())
        {
            _answers.Remove(id);
        }

        if (_answers.Count >= options.AccessCacheEntries)
        {
            _answers.Clear();
        }
    }

    private async Task<bool?> AskAsync(Cluster cluster, KubeCredential credential, WatchKey key, string verb)
    {
        var attributes = new JsonObject { ["verb"] = verb, ["group"] = key.Group, ["version"] = key.Version, ["resource"] = key.Resource };
        if (key.Namespace.Length > 0)
        {
            attributes["namespace"] = key.Namespace;
        }

        var spec = new JsonObject { ["resourceAttributes"] = attributes };
        string kind;
        KubeCredential asker;
        if (credential is KubeCredential.Impersonation who)
        {
            // The server asks about the user: never as the user through impersonation.
            kind = "SubjectAccessReview";
            asker = KubeCredential.Server;
            spec["user"] = who.User;
            spec["groups"] = new JsonArray([.. who.Groups.Select(g => (JsonNode?)g)]);
        }
        else
        {
            // Token mode asks with the user's own token; auth mode none is the server asking for itself.
            kind = "SelfSubjectAccessReview";
            asker = credential;
        }

        var review = new JsonObject { ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = kind, ["spec"] = spec };
        var path = $"apis/authorization.k8s.io/v1/{kind.ToLowerInvariant()}s";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(review) };
        using var timeout = new CancellationTokenSource(ReviewTimeout, time);
        try
        {
            using var response = await cluster.SendAsync(request, asker, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                HubLog.AccessReviewFailed(logger, cluster.Name, kind, $"the API server answered {(int)response.StatusCode}");
                return null;
            }

            var answer = await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token);
            return answer?["status"]?["allowed"]?.GetValue<bool>() ?? false;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException or System.Text.Json.JsonException or InvalidOperationException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            HubLog.AccessReviewFailed(logger, cluster.Name, kind, e.Message);
            return null;
        }
    }

    private sealed record AnswerKey(string Cluster, string Subject, string Verb, string Group, string Resource, string Namespace);

    private sealed record Answer(Task<bool?> Allowed, DateTimeOffset Expires);
}
