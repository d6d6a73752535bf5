using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Shop.WeChatPay.Simulator.Configuration;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Simulator.Keys;

/// <summary>Loads the public key a merchant signs requests with from a certificate, public-key or private-key PEM.</summary>
internal static class MerchantPublicKeys
{
    public static RSA Load(MerchantCertificateOptions certificate)
    {
        var pem = certificate.Pem is { Length: > 0 } inline ? inline : File.ReadAllText(certificate.PemPath!);
        if (pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            using var x509 = X509Certificate2.CreateFromPem(pem);
            if (!PlatformCertificateDecoder.SameSerial(x509.SerialNumber, certificate.Serial))
            {
                throw new CryptographicException($"the certificate's serial is {x509.SerialNumber}, not {certificate.Serial}");
            }

            return x509.GetRSAPublicKey() ?? throw new CryptographicException("the certificate has no RSA key");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException ex)
        {
            rsa.Dispose();
            throw new CryptographicException("expected a PEM certificate, public key or RSA private key", ex);
        }

        if (rsa.KeySize < 2048)
        {
            rsa.Dispose();
            throw new CryptographicException($"the RSA key has {rsa.KeySize} bits; merchant API keys have 2048");
        }

        // Keep only the public half: the simulator never needs to sign as the merchant.
        var publicOnly = RSA.Create();
        publicOnly.ImportParameters(rsa.ExportParameters(includePrivateParameters: false));
        rsa.Dispose();
        return publicOnly;
    }
}
