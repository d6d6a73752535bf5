using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shop.Tests.WeChatPay.Simulator.Support;

/// <summary>
/// A throw-away merchant made for one test run: a fresh 2048-bit RSA key and a self-signed "merchant API certificate"
/// written to a temporary directory, a random mchid, appid and APIv3 key. Never the shared vector keys.
/// </summary>
internal sealed class MerchantIdentity
{
    private const string Alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private MerchantIdentity(string directory)
    {
        Directory = directory;
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={MchId}, O=Shop test merchant", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CertificateSerial = certificate.SerialNumber;
        PrivateKeyPath = Path.Combine(directory, $"{MchId}_key.pem");
        CertificatePath = Path.Combine(directory, $"{MchId}_cert.pem");
        File.WriteAllText(PrivateKeyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
    }

    public string Directory { get; }

    public string MchId { get; } = "19" + RandomNumberGenerator.GetString("0123456789", 8);

    public string AppId { get; } = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public string ApiV3Key { get; } = RandomNumberGenerator.GetString(Alphanumerics, 32);

    public string CertificateSerial { get; }

    public string PrivateKeyPath { get; }

    public string CertificatePath { get; }

    public static MerchantIdentity Create(string directory) => new(directory);

    /// <summary>Another key pair claiming the same mchid and serial: what a wrong key file looks like to WeChat Pay.</summary>
    public string WriteImpostorKey()
    {
        using var other = RSA.Create(2048);
        var path = Path.Combine(Directory, $"{MchId}_impostor_key.pem");
        File.WriteAllText(path, other.ExportPkcs8PrivateKeyPem());
        return path;
    }
}
