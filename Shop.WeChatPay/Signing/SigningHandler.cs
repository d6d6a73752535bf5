using System.Net.Http.Headers;
using Shop.WeChatPay.Verification;

namespace Shop.WeChatPay.Signing;

/// <summary>
/// Signs every outgoing request. The body is buffered once and replaced by a byte-array content holding those exact
/// bytes, so the signature covers what goes on the wire even when the serializer produced lazy content. The
/// canonical URL is <see cref="Uri.PathAndQuery"/> of the request as sent (percent-encoding untouched). Runs again on
/// every retry, so each attempt carries a fresh timestamp and nonce over the same body.
/// </summary>
public sealed class SigningHandler(RequestSigner signer, VerificationKeyStore keyStore, string userAgent) : DelegatingHandler
{
    private static readonly MediaTypeWithQualityHeaderValue Json = new("application/json");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            throw new InvalidOperationException("WeChat Pay requests need an absolute URI (set the client's BaseAddress).");
        }

        var body = await BufferBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var authorization = signer.Sign(request.Method.Method, uri.PathAndQuery, body);

        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", authorization.ToString());
        if (request.Headers.Accept.Count == 0)
        {
            request.Headers.Accept.Add(Json);
        }

        if (request.Headers.UserAgent.Count == 0)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        // Responses are signed with whichever key this header names, so name the key we prefer to verify with.
        if (!request.Headers.Contains(WeChatPayHeaders.Serial) && keyStore.PreferredSerial() is { } serial)
        {
            request.Headers.TryAddWithoutValidation(WeChatPayHeaders.Serial, serial);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> BufferBodyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.Content;
        if (original is null)
        {
            return [];
        }

        var body = await original.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (original is SignedBodyContent)
        {
            return body;
        }

        var buffered = new SignedBodyContent(body);
        foreach (var header in original.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (body.Length > 0 && buffered.Headers.ContentType is null)
        {
            buffered.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        request.Content = buffered;
        original.Dispose();
        return body;
    }

    /// <summary>Marks content that already holds the signed bytes, so a retry does not copy it again.</summary>
    private sealed class SignedBodyContent(byte[] body) : ByteArrayContent(body);
}
