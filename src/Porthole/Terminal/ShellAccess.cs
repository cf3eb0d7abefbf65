using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Porthole.Terminal;

/// <summary>
/// May this user open a shell in this container? Checked with the user's own identity: the pod
/// is read as the user (so "get pods" is proven and a missing pod or container is a 404), then a
/// SelfSubjectAccessReview, made as the user, asks whether it may create pods/exec.
/// </summary>
public static class ShellAccess
{
    /// <summary>Null when allowed; else the status (401, 403, 404, 502) and kubecube-style message.</summary>
    public static async Task<(int Status, string Message)?> CheckAsync(IKubernetes client, TerminalUser user, string ns, string pod, string container, CancellationToken ct)
    {
        var headers = user.ImpersonationHeaders()?.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value, StringComparer.OrdinalIgnoreCase);
        try
        {
            using var read = await client.CoreV1.ReadNamespacedPodWithHttpMessagesAsync(pod, ns, customHeaders: headers, cancellationToken: ct);
            var containers = (read.Body.Spec?.Containers ?? []).Concat(read.Body.Spec?.InitContainers ?? []).Concat(read.Body.Spec?.EphemeralContainers?.Select(e => new V1Container { Name = e.Name }) ?? []);
            if (!containers.Any(c => c.Name == container))
            {
                return (404, $"container {container} not found in pod {pod}");
            }

            var review = new V1SelfSubjectAccessReview
            {
                Spec = new V1SelfSubjectAccessReviewSpec
                {
                    ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = ns, Verb = "create", Resource = "pods", Subresource = "exec", Name = pod },
                },
            };
            using var answer = await client.AuthorizationV1.CreateSelfSubjectAccessReviewWithHttpMessagesAsync(review, customHeaders: headers, cancellationToken: ct);
            return answer.Body.Status?.Allowed == true ? null
                : (403, $"pods \"{pod}\" is forbidden: cannot create resource \"pods/exec\" in API group \"\" in the namespace \"{ns}\"");
        }
        catch (HttpOperationException e)
        {
            var status = (int)(e.Response?.StatusCode ?? System.Net.HttpStatusCode.BadGateway);
            return (status is 401 or 403 or 404 ? status : 502, TerminalExecutor.KubernetesMessage(e));
        }
        catch (HttpRequestException e)
        {
            return (502, "cannot reach the cluster: " + e.Message);
        }
    }
}
