using System.Net;
using System.Net.WebSockets;

namespace Porthole.Clusters;

public sealed partial class Cluster
{
    /// <summary>
    /// Opens a WebSocket (pods/exec) at <paramref name="pathAndQuery"/> with
    /// <paramref name="credential"/>, over this cluster's own handler: the same CA trust and client
    /// certificate as every call, and the same header writing, so impersonated groups go one
    /// Impersonate-Group line each (KubernetesClient's WebSocket helpers bring a ClientWebSocket of
    /// their own, which would send them as one line joined by spaces). A refused upgrade throws
    /// <see cref="KubeUpgradeException"/>; since a ClientWebSocket keeps no response body, its
    /// Status is read by asking again with a plain GET, with the same credential, never the
    /// server's own. Not through the breaker (a socket is no request/response), but counted.
    /// </summary>
    public async Task<WebSocket> ConnectWebSocketAsync(string pathAndQuery, string subProtocol, KubeCredential credential, CancellationToken cancellationToken)
    {
        using var head = new HttpRequestMessage(HttpMethod.Get, new Uri(_client.BaseUri, pathAndQuery.TrimStart('/')));
        await ApplyAsync(head, credential, cancellationToken);
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(subProtocol);
            socket.Options.HttpVersion = HttpVersion.Version11;
            socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            socket.Options.CollectHttpResponseDetails = true;
            foreach (var (name, values) in head.Headers.NonValidated)
            {
                socket.Options.SetRequestHeader(name, values.Count == 1 ? values.ToString() : throw new InvalidOperationException($"header {name} has {values.Count} values"));
            }

            var invoker = credential is KubeCredential.UserToken ? _token.Value.Invoker : _invoker;
            var uri = new UriBuilder(head.RequestUri!) { Scheme = head.RequestUri!.Scheme == Uri.UriSchemeHttps ? Uri.UriSchemeWss : Uri.UriSchemeWs }.Uri;
            await socket.ConnectAsync(uri, invoker, cancellationToken);
            _metrics.KubeCall(Name, (int)HttpStatusCode.SwitchingProtocols);
            return socket;
        }
        catch (WebSocketException e) when (socket.HttpStatusCode != 0 && socket.HttpStatusCode != HttpStatusCode.SwitchingProtocols)
        {
            socket.Dispose();
            _metrics.KubeCall(Name, (int)socket.HttpStatusCode);
            using var again = new HttpRequestMessage(HttpMethod.Get, new Uri(pathAndQuery, UriKind.Relative));
            using var answer = await SendAsync(again, credential, cancellationToken);
            throw answer.IsSuccessStatusCode
                ? new KubeUpgradeException(socket.HttpStatusCode, null, e)
                : new KubeUpgradeException(answer.StatusCode, await answer.Content.ReadAsStringAsync(cancellationToken), e);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            // No answer, or a 101 without the subprotocol asked for (an API server without it).
            socket.Dispose();
            if (socket.HttpStatusCode == HttpStatusCode.SwitchingProtocols)
            {
                _metrics.KubeCall(Name, (int)HttpStatusCode.SwitchingProtocols);
            }
            else
            {
                _metrics.KubeError(Name, "transport");
            }

            throw;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
