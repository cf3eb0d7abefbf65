using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Porthole.Clusters;

namespace Porthole.Terminal;

/// <summary>
/// May this user open a shell in this container? Checked through the cluster layer with the
/// user's own credential: the pod is read as the user (so "get pods" is proven and a missing pod
/// or container is a 404), then a SelfSubjectAccessReview, made as the user, asks whether it may
/// create pods/exec.
/// </summary>
public static class ShellAccess
{
    /// <summary>Null when allowed; else the status (401, 403, 404, 502, 503) and a kubecube-style message.</summary>
    public static async Task<(int Status, string Message)?> CheckAsync(Cluster cluster, TerminalUser user, string ns, string pod, string container, CancellationToken ct)
    {
        try
        {
            using var read = await cluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"api/v1/namespaces/{Uri.EscapeDataString(ns)}/pods/{Uri.EscapeDataString(pod)}"), user.Credential, ct);
            var body = await read.Content.ReadAsStringAsync(ct);
            if (!read.IsSuccessStatusCode)
            {
                return Refusal((int)read.StatusCode, body);
            }

            var spec = JsonNode.Parse(body)?["spec"];
            var names = new[] { "containers", "initContainers", "ephemeralContainers" }
                .SelectMany(list => spec?[list]?.AsArray() ?? [])
                .Select(c => c?["name"]?.GetValue<string>());
            if (!names.Contains(container))
            {
                return (404, $"container {container} not found in pod {pod}");
            }

            var review = new JsonObject
            {
                ["apiVersion"] = "authorization.k8s.io/v1",
                ["kind"] = "SelfSubjectAccessReview",
                ["spec"] = new JsonObject
                {
                    ["resourceAttributes"] = new JsonObject { ["namespace"] = ns, ["verb"] = "create", ["resource"] = "pods", ["subresource"] = "exec", ["name"] = pod },
                },
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, "apis/authorization.k8s.io/v1/selfsubjectaccessreviews") { Content = JsonContent.Create(review) };
            using var answer = await cluster.SendAsync(request, user.Credential, ct);
            var answerBody = await answer.Content.ReadAsStringAsync(ct);
            if (!answer.IsSuccessStatusCode)
            {
                return Refusal((int)answer.StatusCode, answerBody);
            }

            return JsonNode.Parse(answerBody)?["status"]?["allowed"]?.GetValue<bool>() == true ? null
                : (403, $"pods \"{pod}\" is forbidden: cannot create resource \"pods/exec\" in API group \"\" in the namespace \"{ns}\"");
        }
        catch (BrokenCircuitException)
        {
            return (503, "the cluster is unavailable (it failed repeatedly); retry later");
        }
        catch (HttpRequestException e)
        {
            return (502, "cannot reach the cluster: " + e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (504, "the cluster did not answer in time");
        }
    }

    private static (int, string) Refusal(int status, string body) =>
        (status is 401 or 403 or 404 ? status : 502, TerminalExecutor.StatusMessage(body) ?? $"the cluster answered {status}");
}
