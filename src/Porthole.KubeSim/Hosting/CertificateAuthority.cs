using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Porthole.KubeSim.Hosting;

/// <summary>
/// A throw-away certificate authority generated at start-up, and the serving certificate it
/// signs for the listener. The CA goes into the written kubeconfig, so clients verify TLS as
/// they would against a real cluster.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private CertificateAuthority(X509Certificate2 ca, X509Certificate2 server)
    {
        Certificate = ca;
        ServerCertificate = server;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The CA certificate in PEM, as kubeconfig's certificate-authority-data wants it (before base64).</summary>
    public string CertificatePem => Certificate.ExportCertificatePem();

    public static CertificateAuthority Create(IEnumerable<IPAddress> addresses, TimeProvider time)
    {
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=kubesim-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddDnsName("kubernetes");
        san.AddDnsName("kubernetes.default.svc");
        foreach (var address in addresses.Append(IPAddress.Loopback).Append(IPAddress.IPv6Loopback).Distinct())
        {
            san.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddYears(1), serial);
        using var withKey = signed.CopyWithPrivateKey(serverKey);

        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        var server = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        var caPublic = X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert));
        return new CertificateAuthority(caPublic, server);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        ServerCertificate.Dispose();
    }
}
