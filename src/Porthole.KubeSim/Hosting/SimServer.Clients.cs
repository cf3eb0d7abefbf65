using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;

namespace Porthole.KubeSim.Hosting;

public sealed partial class SimServer
{
    /// <summary>
    /// An HttpClient for this simulator that trusts only its CA, with a simulated user's bearer
    /// token (none when <paramref name="user"/> is null). For tests and benchmarks.
    /// </summary>
    public HttpClient CreateHttpClient(string? user = "sim-admin")
    {
        var ca = CaCertificate;
        var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) =>
                {
                    if (cert is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    using var leaf = X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
                    return chain.Build(leaf);
                },
            },
        };
        var http = new HttpClient(handler) { BaseAddress = Url, Timeout = TimeSpan.FromMinutes(5) };
        if (user is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[user]);
        }

        return http;
    }
}
