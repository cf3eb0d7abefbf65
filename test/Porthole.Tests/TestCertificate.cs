using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Porthole.Tests;

/// <summary>A self-signed certificate for 127.0.0.1 written as PEM files, deleted on dispose.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("porthole-tls-").FullName;

    private TestCertificate()
    {
    }

    public string CertPath => Path.Combine(_dir, "tls.crt");

    public string KeyPath => Path.Combine(_dir, "tls.key");

    public string Thumbprint { get; private set; } = "";

    public static TestCertificate WritePemFiles()
    {
        var result = new TestCertificate();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(result.CertPath, cert.ExportCertificatePem());
        File.WriteAllText(result.KeyPath, key.ExportPkcs8PrivateKeyPem());
        result.Thumbprint = cert.GetCertHashString();
        return result;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
