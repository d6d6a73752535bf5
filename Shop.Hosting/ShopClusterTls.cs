using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace Shop.Hosting;

/// <summary>
/// Mutual TLS on the silo and gateway ports (<c>Orleans:Tls:CertificatePath</c>, a PKCS#12 file with its private key, and
/// <c>Orleans:Tls:CertificatePassword</c>). Every silo and API of the deployment holds the same certificate and accepts a
/// peer only if it presents that certificate: a process without it cannot join the cluster or call a grain.
/// </summary>
public sealed class ShopClusterTls
{
    private readonly byte[] _publicKey;

    private ShopClusterTls(X509Certificate2 certificate)
    {
        Certificate = certificate;
        _publicKey = certificate.GetPublicKey();
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Null when no certificate is configured (plain TCP: keep the ports on a private network).</summary>
    public static ShopClusterTls? FromConfiguration(IConfiguration configuration)
    {
        var path = configuration["Orleans:Tls:CertificatePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["Orleans:Tls:CertificatePassword"]);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ShopConfigurationException($"Orleans:Tls:CertificatePath '{path}' could not be read as a PKCS#12 file with Orleans:Tls:CertificatePassword: {ex.Message}", ex);
        }

        return certificate.HasPrivateKey
            ? new ShopClusterTls(certificate)
            : throw new ShopConfigurationException($"Orleans:Tls:CertificatePath '{path}' holds no private key.");
    }

    public void Configure(TlsOptions options)
    {
        options.LocalCertificate = Certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // The cluster certificate is its own trust anchor: chain and host-name checks do not apply to a self-signed
        // certificate shared by all members, possession of its private key (proven by the handshake) does.
        options.RemoteCertificateValidation = (certificate, _, _) => certificate is not null && certificate.GetPublicKey().AsSpan().SequenceEqual(_publicKey);
        options.OnAuthenticateAsClient = (_, client) => client.TargetHost = Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
    }
}
