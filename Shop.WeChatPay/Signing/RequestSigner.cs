using System.Globalization;
using System.Text;
using Shop.WeChatPay.Crypto;

namespace Shop.WeChatPay.Signing;

/// <summary>
/// Builds the APIv3 request signature: METHOD\nCANONICAL_URL\nTIMESTAMP\nNONCE\nBODY\n (every line ends in \n,
/// an empty body included) signed with the merchant private key.
/// </summary>
public sealed class RequestSigner(MerchantKey merchantKey, INonceGenerator nonces, TimeProvider time)
{
    public WeChatPayAuthorization Sign(string method, string canonicalUrl, ReadOnlySpan<byte> body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = nonces.Next();
        var signature = merchantKey.Sign(BuildMessage(method, canonicalUrl, timestamp, nonce, body));
        return new WeChatPayAuthorization(merchantKey.MchId, nonce, signature, timestamp, merchantKey.CertificateSerial);
    }

    /// <summary>
    /// The body goes in as the bytes that are sent; it is never decoded and re-encoded, so the signature always
    /// covers exactly what is on the wire.
    /// </summary>
    public static byte[] BuildMessage(string method, string canonicalUrl, string timestamp, string nonce, ReadOnlySpan<byte> body)
    {
        var head = Encoding.UTF8.GetBytes($"{method.ToUpperInvariant()}\n{canonicalUrl}\n{timestamp}\n{nonce}\n");
        var message = new byte[head.Length + body.Length + 1];
        head.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(head.Length));
        message[^1] = (byte)'\n';
        return message;
    }
}
