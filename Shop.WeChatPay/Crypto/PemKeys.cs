using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Shop.WeChatPay.Crypto;

/// <summary>PEM loading with messages that say which kind of key was expected.</summary>
public static class PemKeys
{
    public static RSA ImportPrivateKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException ex)
        {
            rsa.Dispose();
            throw new CryptographicException("Expected a PEM RSA private key (PKCS#8 'BEGIN PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY').", ex);
        }

        if (rsa.KeySize < 2048 || !HasPrivatePart(rsa))
        {
            rsa.Dispose();
            throw new CryptographicException("Expected a 2048-bit (or larger) RSA private key.");
        }

        return rsa;
    }

    public static RSA ImportPublicKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException ex)
        {
            rsa.Dispose();
            throw new CryptographicException("Expected a PEM RSA public key ('BEGIN PUBLIC KEY').", ex);
        }

        return rsa;
    }

    public static X509Certificate2 ImportCertificate(string pem) => X509Certificate2.CreateFromPem(pem);

    private static bool HasPrivatePart(RSA rsa)
    {
        try
        {
            rsa.ExportParameters(includePrivateParameters: true);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
