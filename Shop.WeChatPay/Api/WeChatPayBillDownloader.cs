using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Shop.WeChatPay.Api;

/// <summary>
/// Fetches a bill from its download_url with a signed GET. WeChat Pay does not sign this answer ("该接口响应的信息请求头中不包含
/// 微信接口响应的签名值"), so the file is trusted only once its SHA1 equals the hash_value of the (signed and verified)
/// application; with tar_type=GZIP the hash is of the uncompressed file.
/// </summary>
public sealed class WeChatPayBillDownloader(HttpClient http, IOptions<WeChatPayOptions> options)
{
    /// <summary>Larger than any day's bill of a single merchant; a bigger body (or a gzip bomb) is refused, not buffered.</summary>
    public const int MaxBillBytes = 256 << 20;

    /// <summary>The bill's bytes (uncompressed), checked against the application's hash.</summary>
    /// <exception cref="BillIntegrityException">Wrong host, unknown hash type, oversized, bad gzip or hash mismatch.</exception>
    /// <exception cref="WeChatPayApiException">WeChat Pay answered the download with an error.</exception>
    public async Task<byte[]> DownloadAsync(BillApplication application, bool gzip, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (!string.Equals(application.HashType, "SHA1", StringComparison.OrdinalIgnoreCase))
        {
            throw new BillIntegrityException($"unsupported hash_type {application.HashType}");
        }

        var url = CheckedUrl(application.DownloadUrl);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("*/*");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (await WeChatPayExceptionFactory.CreateAsync(response).ConfigureAwait(false) is { } error)
        {
            throw error;
        }

        var body = await ReadCappedAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var bill = gzip ? await GunzipAsync(body, cancellationToken).ConfigureAwait(false) : body;
        var actual = Convert.ToHexStringLower(SHA1.HashData(bill));
        if (!string.Equals(actual, application.HashValue.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            throw new BillIntegrityException($"SHA1 of the downloaded bill is {actual}, WeChat Pay announced {application.HashValue}");
        }

        return bill;
    }

    /// <summary>The signed request goes only to WeChat Pay's own host (the configured base URL), never elsewhere.</summary>
    private Uri CheckedUrl(string downloadUrl)
    {
        var baseUri = new Uri(options.Value.BaseUrl);
        if (!Uri.TryCreate(downloadUrl.Trim(), UriKind.Absolute, out var url)
            || url.Scheme != baseUri.Scheme || !string.Equals(url.Host, baseUri.Host, StringComparison.OrdinalIgnoreCase) || url.Port != baseUri.Port)
        {
            throw new BillIntegrityException($"download_url {downloadUrl} is not on {baseUri.GetLeftPart(UriPartial.Authority)}");
        }

        return url;
    }

    private static async Task<byte[]> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBillBytes)
            {
                throw new BillIntegrityException($"the bill is larger than {MaxBillBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<byte[]> GunzipAsync(byte[] compressed, CancellationToken cancellationToken)
    {
        try
        {
            await using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
            return await ReadCappedAsync(gzip, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new BillIntegrityException($"the bill is not valid gzip: {ex.Message}");
        }
    }
}

/// <summary>A downloaded bill that must not be used: it is not the file WeChat Pay announced.</summary>
public sealed class BillIntegrityException(string message) : Exception("WeChat Pay bill refused: " + message);
