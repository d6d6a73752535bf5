using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Signing;

namespace Shop.WeChatPay.Verification;

/// <summary>
/// Verifies the signature of every response (204 with an empty body included) over the raw bytes received.
/// A 2xx response that fails is never returned: it becomes a <see cref="WeChatPayVerificationException"/>.
/// Error responses (non-2xx) are errors whatever their signature; their verification result is recorded on the
/// request (<see cref="ResultKey"/>) so the API exception can say whether the error body was authentic.
/// </summary>
public sealed class ResponseVerifyingHandler(WeChatPaySignatureVerifier verifier, VerificationKeyStore store, ApiV3Cipher cipher) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<VerificationResult> ResultKey = new("Shop.WeChatPay.ResponseVerification");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        VerificationResult result;
        try
        {
            // Buffers the content, so the caller later reads exactly the bytes verified here.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var headers = SignatureHeaders.From(response.Headers);
            result = IsCertificateDownload(request)
                ? await verifier.VerifyAsync(headers, body, new CertificateBootstrapResolver(store, cipher, body), cancellationToken).ConfigureAwait(false)
                : await verifier.VerifyAsync(headers, body, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        request.Options.Set(ResultKey, result);
        if (response.IsSuccessStatusCode && !result.IsValid)
        {
            var requestId = response.Headers.TryGetValues(WeChatPayHeaders.RequestId, out var ids) ? ids.FirstOrDefault() : null;
            var status = response.StatusCode;
            response.Dispose();
            throw new WeChatPayVerificationException(result, status, requestId, $"{request.Method} {request.RequestUri?.AbsolutePath}");
        }

        return response;
    }

    private static bool IsCertificateDownload(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get && request.RequestUri?.AbsolutePath == "/v3/certificates";
}
