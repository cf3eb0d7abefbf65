using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Porthole.Clusters;
using Porthole.Diagnostics;

namespace Porthole.Tests.Clusters;

/// <summary>
/// The bytes a <see cref="Cluster"/> writes for an impersonated user, read off a raw loopback
/// socket: one Impersonate-Group line per group, names exact (commas, spaces, UTF-8), bodies
/// untouched, for plain requests and for the exec WebSocket upgrade alike.
/// </summary>
public sealed class ImpersonationHeadersTests : IAsyncLifetime
{
    private static readonly KubeCredential.Impersonation Jurgen = new("jürgen", ["readers", "Ops, Berlin", "Développeurs"]);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private ServiceProvider _services = null!;
    private Cluster _cluster = null!;

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The header lines Jurgen's identity must produce, as bytes.</summary>
    private static string IdentityLines =>
        "Impersonate-User: jürgen\r\nImpersonate-Group: readers\r\nImpersonate-Group: Ops, Berlin\r\nImpersonate-Group: Développeurs\r\n";

    public Task InitializeAsync()
    {
        _listener.Start();
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _cluster = new Cluster("raw", new KubernetesClientConfiguration { Host = $"http://127.0.0.1:{Port}/" }, new ClusterBreakerOptions(100, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1)),
            new PortholeMetrics(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, NullLogger.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _cluster.Dispose();
        await _services.DisposeAsync();
        _listener.Stop();
    }

    /// <summary>Accepts one connection, reads one request (head and Content-Length body), answers 403 with a Status and closes.</summary>
    private async Task<string> ServeOneAsync()
    {
        using var connection = await _listener.AcceptTcpClientAsync();
        var stream = connection.GetStream();
        var received = new MemoryStream();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            if (text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end and >= 0)
            {
                var length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length: ", StringComparison.Ordinal)) is { } line ? int.Parse(line[16..], System.Globalization.CultureInfo.InvariantCulture) : 0;
                if (received.Length >= Encoding.UTF8.GetByteCount(text[..(end + 4)]) + length)
                {
                    break;
                }
            }

            var n = await stream.ReadAsync(buffer);
            Assert.True(n > 0, "the client closed before a whole request arrived");
            received.Write(buffer, 0, n);
        }

        var status = """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"raw says no","reason":"Forbidden","code":403}""";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: {status.Length}\r\nConnection: close\r\n\r\n{status}"));
        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>The request without its User-Agent line (KubernetesClient's, with its version in it).</summary>
    private static string WithoutUserAgent(string request) =>
        string.Join("\r\n", request.Split("\r\n").Where(l => !l.StartsWith("User-Agent: ", StringComparison.Ordinal)));

    [Fact]
    public async Task SendAsync_UserWithThreeGroups_OneLinePerGroupNamesExactAsUtf8()
    {
        var served = ServeOneAsync();

        using var response = await _cluster.SendAsync(new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/default/pods"), Jurgen, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($"GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\n{IdentityLines}\r\n", WithoutUserAgent(await served));
    }

    [Fact]
    public async Task SendAsync_BodyWithSeparatorAndHeaderText_BodyBytesUntouched()
    {
        var served = ServeOneAsync();
        const string body = "{\"data\":{\"k\":\"a\uFFFFImpersonate-Group: system:masters\\r\\n\"}}";

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/namespaces/default/configmaps") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await _cluster.SendAsync(request, Jurgen, CancellationToken.None);

        Assert.Equal(
            $"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\n{IdentityLines}Content-Type: application/json; charset=utf-8\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}",
            WithoutUserAgent(await served));
    }

    [Fact]
    public async Task ConnectWebSocketAsync_Refused_UpgradeAndStatusReadCarryTheSameGroupLines()
    {
        var served = ServeOneAsync();

        var refused = await Assert.ThrowsAsync<KubeUpgradeException>(async () =>
        {
            var connect = _cluster.ConnectWebSocketAsync("api/v1/namespaces/default/pods/web-1/exec?command=sh&tty=1", "v5.channel.k8s.io", Jurgen, CancellationToken.None);
            var upgrade = await served;
            served = ServeOneAsync();

            var lines = upgrade.Split("\r\n");
            Assert.Equal("GET /api/v1/namespaces/default/pods/web-1/exec?command=sh&tty=1 HTTP/1.1", lines[0]);
            Assert.Contains(IdentityLines, upgrade, StringComparison.Ordinal);
            Assert.Contains("Upgrade: websocket", lines);
            Assert.Contains("Sec-WebSocket-Protocol: v5.channel.k8s.io", lines);
            Assert.Single(lines, l => l.StartsWith("Impersonate-User:", StringComparison.Ordinal));
            Assert.Equal(3, lines.Count(l => l.StartsWith("Impersonate-Group:", StringComparison.Ordinal)));
            await connect;
        });

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("raw says no", refused.Body, StringComparison.Ordinal);
        Assert.Equal($"GET /api/v1/namespaces/default/pods/web-1/exec?command=sh&tty=1 HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\n{IdentityLines}\r\n", WithoutUserAgent(await served));
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData(" admins", "it starts or ends with a space, which HTTP would drop")]
    [InlineData("admins ", "it starts or ends with a space, which HTTP would drop")]
    [InlineData("ad\nmins", "it contains the control character U+000A")]
    [InlineData("ad\tmins", "it contains the control character U+0009")]
    [InlineData("ad\u0085mins", "it contains the control character U+0085")]
    [InlineData("ad\uFFFFmins", "it contains U+FFFF, a Unicode noncharacter")]
    [InlineData("ad\uFDD0mins", "it contains U+FDD0, a Unicode noncharacter")]
    public void Problem_NameHttpCannotCarry_Reason(string name, string reason) => Assert.Equal(reason, ImpersonationHeaders.Problem(name));

    [Fact]
    public void Problem_LoneSurrogate_Reason() =>
        Assert.Equal("it is not valid Unicode (a lone surrogate)", ImpersonationHeaders.Problem(new string(['a', '\uD800', 'b'])));

    [Theory]
    [InlineData("Ops, Berlin")]
    [InlineData("Développeurs (ü)")]
    [InlineData("oidc:group/with \"quotes\" and ; semicolons")]
    [InlineData("emoji \U0001F680")]
    public void Problem_OddButSendableName_Null(string name) => Assert.Null(ImpersonationHeaders.Problem(name));

    [Fact]
    public void Add_GroupWithControlCharacter_ThrowsNamingItEscaped()
    {
        var headers = new HttpRequestMessage().Headers;

        var error = Assert.Throws<ArgumentException>(() => ImpersonationHeaders.Add(headers, new KubeCredential.Impersonation("carol", ["ok", "bad\u0007group"])));

        Assert.StartsWith("group \"bad\\u0007group\" of user \"carol\" cannot be passed to Kubernetes: it contains the control character U+0007", error.Message, StringComparison.Ordinal);
        Assert.Empty(headers);
    }

    [Fact]
    public void Encoding_SeparatedValue_LinesOfTheHeaderInUtf8()
    {
        var encoding = new RepeatedHeaderEncoding("Impersonate-Group");
        const string value = "a, b\uFFFFDéveloppeurs\uFFFF\U0001F680";

        var bytes = encoding.GetBytes(value);

        Assert.Equal("a, b\r\nImpersonate-Group: D\u00C3\u00A9veloppeurs\r\nImpersonate-Group: \u00F0\u009F\u009A\u0080", Encoding.Latin1.GetString(bytes));
        Assert.Equal(bytes.Length, encoding.GetByteCount(value));
        Assert.True(encoding.GetMaxByteCount(value.Length) >= bytes.Length);
    }

    [Fact]
    public void Encoding_LoneSurrogate_Throws() =>
        Assert.Throws<EncoderFallbackException>(() => new RepeatedHeaderEncoding("Impersonate-Group").GetBytes(new string(['a', '\uFFFF', '\uD800'])));
}
