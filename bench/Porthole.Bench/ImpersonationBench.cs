using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Porthole.Clusters;

namespace Porthole.Bench;

/// <summary>
/// What writing each impersonated group on its own header line costs (ImpersonationHeaders).
/// Run: dotnet run -c Release --project bench/Porthole.Bench -- impersonation [--requests 20000]
/// <list type="bullet">
/// <item>encode: nanoseconds to write the Impersonate-Group value of one request into a buffer,
/// the way SocketsHttpHandler does: the separator encoding (one line per group) against the
/// plain ASCII copy of the values joined by ", " that the handler wrote before;</item>
/// <item>requests: sequential GETs over one keep-alive HTTP/1.1 loopback connection to a Kestrel
/// endpoint that answers 204, with Impersonate-User and the groups written each way.</item>
/// </list>
/// </summary>
internal static class ImpersonationBench
{
    public static async Task<int> RunAsync(int requests)
    {
        foreach (var count in new[] { 3, 30 })
        {
            var groups = Enumerable.Range(1, count).Select(i => $"team-{i:D2}:developers").ToArray();
            var (split, joined) = (EncodeNanos(groups, split: true), EncodeNanos(groups, split: false));
            Console.WriteLine($"encode, {count} groups: {split:F0} ns one line per group, {joined:F0} ns joined (before), +{split - joined:F0} ns per request");
        }

        var app = WebApplication.CreateSlimBuilder();
        app.WebHost.UseUrls("http://127.0.0.1:0");
        app.Logging.ClearProviders();
        await using var server = app.Build();
        server.MapGet("/", (HttpContext c) => Results.StatusCode(c.Request.Headers["Impersonate-Group"].Count > 0 ? 204 : 400));
        await server.StartAsync();
        var url = new Uri(server.Urls.First());
        foreach (var count in new[] { 3, 30 })
        {
            var groups = Enumerable.Range(1, count).Select(i => $"team-{i:D2}:developers").ToArray();
            var rounds = new List<(double Split, double Joined)>();
            for (var round = 0; round < 5; round++)
            {
                rounds.Add((await RequestsPerSecondAsync(url, groups, requests, split: true), await RequestsPerSecondAsync(url, groups, requests, split: false)));
            }

            var (medianSplit, medianJoined) = (rounds.Select(r => r.Split).Order().ElementAt(2), rounds.Select(r => r.Joined).Order().ElementAt(2));
            Console.WriteLine($"requests, {count} groups: {medianSplit:F0}/s one line per group, {medianJoined:F0}/s joined (before), median of 5 rounds of {requests}");
        }

        return 0;
    }

    /// <summary>Median of 5 rounds of 200,000 writes of the group header value.</summary>
    private static double EncodeNanos(string[] groups, bool split)
    {
        using var handler = new SocketsHttpHandler();
        ImpersonationHeaders.Install(handler);
        var encoding = handler.RequestHeaderEncodingSelector!(ImpersonationHeaders.Group, new HttpRequestMessage())!;
        var value = string.Join('\uFFFF', groups);
        var buffer = new byte[encoding.GetMaxByteCount(groups.Sum(g => g.Length + 2))];
        var written = 0L;
        var rounds = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 200_000; i++)
            {
                if (split)
                {
                    written += encoding.GetBytes(value, buffer);
                }
                else
                {
                    var at = 0;
                    foreach (var group in groups)
                    {
                        if (at > 0)
                        {
                            buffer[at++] = (byte)',';
                            buffer[at++] = (byte)' ';
                        }

                        System.Text.Ascii.FromUtf16(group, buffer.AsSpan(at), out var n);
                        at += n;
                    }

                    written += at;
                }
            }

            rounds.Add(clock.Elapsed.TotalNanoseconds / 200_000);
        }

        GC.KeepAlive(written);
        return rounds.Order().ElementAt(2);
    }

    private static async Task<double> RequestsPerSecondAsync(Uri url, string[] groups, int requests, bool split)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false };
        if (split)
        {
            ImpersonationHeaders.Install(handler);
        }

        using var client = new HttpMessageInvoker(handler);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (split)
            {
                ImpersonationHeaders.Add(request.Headers, new KubeCredential.Impersonation("bench-user", groups));
            }
            else
            {
                request.Headers.Add(ImpersonationHeaders.User, "bench-user");
                request.Headers.Add(ImpersonationHeaders.Group, groups);
            }

            using var response = await client.SendAsync(request, CancellationToken.None);
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                throw new InvalidOperationException($"the endpoint answered {(int)response.StatusCode}");
            }
        }

        return requests / clock.Elapsed.TotalSeconds;
    }
}
