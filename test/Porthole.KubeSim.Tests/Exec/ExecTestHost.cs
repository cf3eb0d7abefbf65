using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Porthole.KubeSim.Exec;

namespace Porthole.KubeSim.Tests.Exec;

/// <summary>A real Kestrel server on 127.0.0.1 serving one pod's exec and attach through <see cref="ExecEndpoint"/>.</summary>
internal sealed class ExecTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExecTestHost(WebApplication app, ContainerRuntime runtime, int port)
    {
        _app = app;
        Runtime = runtime;
        Port = port;
    }

    public ContainerRuntime Runtime { get; }

    public int Port { get; }

    public static async Task<ExecTestHost> StartAsync(JsonObject pod, Func<string, CancellationToken, IAsyncEnumerable<string>>? containerOutput = null)
    {
        var runtime = new ContainerRuntime(Path.Combine(Path.GetTempPath(), "kubesim-exec-" + Guid.NewGuid().ToString("N")));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/api/v1/namespaces/{ns}/pods/{name}/exec", ctx => ExecEndpoint.HandleAsync(ctx, pod, attach: false, runtime, containerOutput));
        app.Map("/api/v1/namespaces/{ns}/pods/{name}/attach", ctx => ExecEndpoint.HandleAsync(ctx, pod, attach: true, runtime, containerOutput));
        MapDiscovery(app, pod);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ExecTestHost(app, runtime, new Uri(address).Port);
    }

    /// <summary>Just enough of the API for kubectl exec: discovery and GET of the pod.</summary>
    private static void MapDiscovery(WebApplication app, JsonObject pod)
    {
        static Task Json(Microsoft.AspNetCore.Http.HttpContext ctx, string json)
        {
            ctx.Response.ContentType = "application/json";
            return ctx.Response.WriteAsync(json);
        }

        app.MapGet("/api", ctx => Json(ctx, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}"));
        app.MapGet("/apis", ctx => Json(ctx, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}"));
        app.MapGet("/api/v1", ctx => Json(ctx, "{\"kind\":\"APIResourceList\",\"groupVersion\":\"v1\",\"resources\":[" +
            "{\"name\":\"pods\",\"singularName\":\"pod\",\"namespaced\":true,\"kind\":\"Pod\",\"verbs\":[\"get\",\"list\"],\"shortNames\":[\"po\"]}," +
            "{\"name\":\"pods/exec\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodExecOptions\",\"verbs\":[\"create\",\"get\"]}," +
            "{\"name\":\"pods/attach\",\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PodAttachOptions\",\"verbs\":[\"create\",\"get\"]}]}"));
        app.MapGet("/api/v1/namespaces/default/pods/web", ctx => Json(ctx, pod.ToJsonString()));
    }

    /// <summary>Runs a real kubectl against this server; returns exit code, stdout and stderr.</summary>
    public Task<(int Code, string Stdout, string Stderr)> KubectlAsync(string version, string stdin, params string[] args) =>
        KubectlAsync(version, stdin, terminal: null, args);

    /// <summary>Runs kubectl; with <paramref name="terminal"/> (columns, rows) it runs on a terminal of that size under script(1).</summary>
    public async Task<(int Code, string Stdout, string Stderr)> KubectlAsync(string version, string stdin, (int Columns, int Rows)? terminal, params string[] args)
    {
        var dir = Path.Combine(Runtime.Root, ".kube");
        Directory.CreateDirectory(dir);
        var config = Path.Combine(dir, "config");
        await File.WriteAllTextAsync(config, $"apiVersion: v1\nkind: Config\nclusters:\n- name: sim\n  cluster:\n    server: http://127.0.0.1:{Port}\ncontexts:\n- name: sim\n  context:\n    cluster: sim\n    user: admin\n    namespace: default\ncurrent-context: sim\nusers:\n- name: admin\n  user:\n    token: sim\n");
        var kubectl = Kubectl.KubectlRunner.Locate($"kubectl.{version}");
        string[] argv = ["--kubeconfig=" + config, "--cache-dir=" + Path.Combine(dir, "cache"), .. args];
        var info = new System.Diagnostics.ProcessStartInfo(terminal is null ? kubectl : "/usr/bin/script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (terminal is { } size)
        {
            var line = string.Join(' ', argv.Prepend(kubectl).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
            foreach (var a in new[] { "-qec", $"stty cols {size.Columns} rows {size.Rows}; exec {line}", "/dev/null" })
            {
                info.ArgumentList.Add(a);
            }
        }
        else
        {
            foreach (var a in argv)
            {
                info.ArgumentList.Add(a);
            }
        }

        using var deadline = Deadline();
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public Kubernetes Client() => new(new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{Port}" });

    public Uri Url(string path, string query) => new($"http://127.0.0.1:{Port}/api/v1/namespaces/default/pods/web/{path}?{query}");

    /// <summary>A raw client WebSocket offering <paramref name="protocols"/>.</summary>
    public async Task<ClientWebSocket> ConnectAsync(string path, string query, CancellationToken ct, params string[] protocols)
    {
        var ws = new ClientWebSocket();
        foreach (var p in protocols)
        {
            ws.Options.AddSubProtocol(p);
        }

        await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{Port}/api/v1/namespaces/default/pods/web/{path}?{query}"), ct);
        return ws;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (Directory.Exists(Runtime.Root))
        {
            Directory.Delete(Runtime.Root, recursive: true);
        }
    }

    public static JsonObject Pod(string image = "nginx:1.27", params string[] containers)
    {
        if (containers.Length == 0)
        {
            containers = ["app"];
        }

        var specs = new JsonArray();
        var statuses = new JsonArray();
        foreach (var c in containers)
        {
            specs.Add(new JsonObject
            {
                ["name"] = c,
                ["image"] = image,
                ["env"] = new JsonArray(
                    new JsonObject { ["name"] = "GREETING", ["value"] = "hello" },
                    new JsonObject { ["name"] = "MESSAGE", ["value"] = "$(GREETING) world" },
                    new JsonObject { ["name"] = "POD_NAMESPACE", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "metadata.namespace" } } },
                    new JsonObject { ["name"] = "POD_IP", ["valueFrom"] = new JsonObject { ["fieldRef"] = new JsonObject { ["fieldPath"] = "status.podIP" } } }),
            });
            statuses.Add(new JsonObject { ["name"] = c, ["ready"] = true, ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = "2026-01-01T00:00:00Z" } } });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default", ["uid"] = "3f1e0c9a-0000-4000-8000-000000000001" },
            ["spec"] = new JsonObject { ["nodeName"] = "node-1", ["containers"] = specs },
            ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "10.244.0.7", ["containerStatuses"] = statuses },
        };
    }

    public static string Query(bool stdin, bool tty, params string[] command)
    {
        var parts = command.Select(c => "command=" + Uri.EscapeDataString(c)).ToList();
        parts.Add("stdout=true");
        if (!tty)
        {
            parts.Add("stderr=true");
        }

        if (stdin)
        {
            parts.Add("stdin=true");
        }

        if (tty)
        {
            parts.Add("tty=true");
        }

        return string.Join('&', parts);
    }

    public static Task SendAsync(ClientWebSocket ws, byte channel, string text, CancellationToken ct) =>
        SendAsync(ws, channel, Encoding.UTF8.GetBytes(text), ct);

    public static async Task SendAsync(ClientWebSocket ws, byte channel, byte[] data, CancellationToken ct)
    {
        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame, 1);
        await ws.SendAsync(frame, WebSocketMessageType.Binary, true, ct);
    }

    /// <summary>Every frame until the server closes (raw payload, channel byte or digit included), then completes the close.</summary>
    public static async Task<List<(WebSocketMessageType Type, byte[] Data)>> ReadAllAsync(ClientWebSocket ws, CancellationToken ct)
    {
        var frames = new List<(WebSocketMessageType, byte[])>();
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await ws.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", ct);
                return frames;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                frames.Add((result.MessageType, message.ToArray()));
                message.SetLength(0);
            }
        }
    }

    /// <summary>The concatenated payloads of one channel's binary frames.</summary>
    public static string Channel(IEnumerable<(WebSocketMessageType Type, byte[] Data)> frames, byte channel) =>
        Encoding.UTF8.GetString(frames.Where(f => f.Data.Length > 0 && f.Data[0] == channel).SelectMany(f => f.Data.Skip(1)).ToArray());

    public static CancellationTokenSource Deadline() => new(TimeSpan.FromSeconds(60));
}
