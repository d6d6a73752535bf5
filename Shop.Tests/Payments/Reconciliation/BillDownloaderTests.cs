using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Shop.Tests.WeChatPay.Support;
using Shop.WeChatPay;
using Shop.WeChatPay.Api;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>The bill download trusts a file only by its hash, and sends the signed request only to WeChat Pay's own host.</summary>
public sealed class BillDownloaderTests
{
    private static readonly byte[] Bill = Encoding.UTF8.GetBytes("交易时间,商户订单号\n`2026-12-05 10:00:01,`1\n总交易单数\n`1\n");

    [Fact]
    public async Task A_gzip_bill_whose_sha1_matches_is_returned_uncompressed_and_any_other_is_refused()
    {
        var network = new CapturingHandler(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Gzip(Bill)) });
        var downloader = Downloader(network);
        var url = "https://api.mch.weixin.qq.com/v3/billdownload/file?token=abc";

        Assert.Equal(Bill, await downloader.DownloadAsync(new BillApplication("SHA1", Convert.ToHexString(SHA1.HashData(Bill)), url), gzip: true));
        Assert.Equal("/v3/billdownload/file?token=abc", network.Requests.Single().Target);

        var other = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("another bill")));
        var refused = await Assert.ThrowsAsync<BillIntegrityException>(() => downloader.DownloadAsync(new BillApplication("SHA1", other, url), gzip: true));
        Assert.Contains("SHA1", refused.Message);
        await Assert.ThrowsAsync<BillIntegrityException>(() => downloader.DownloadAsync(new BillApplication("SHA1", other, url), gzip: false));
        await Assert.ThrowsAsync<BillIntegrityException>(() => downloader.DownloadAsync(new BillApplication("MD5", other, url), gzip: true));
    }

    [Fact]
    public async Task A_download_url_on_another_host_gets_no_request()
    {
        var network = new CapturingHandler();
        var application = new BillApplication("SHA1", Convert.ToHexString(SHA1.HashData(Bill)), "https://collector.example.com/v3/billdownload/file?token=abc");

        await Assert.ThrowsAsync<BillIntegrityException>(() => Downloader(network).DownloadAsync(application, gzip: true));
        Assert.Empty(network.Requests);
    }

    private static WeChatPayBillDownloader Downloader(HttpMessageHandler network) =>
        new(new HttpClient(network), Options.Create(new WeChatPayOptions { BaseUrl = WeChatPayOptions.DefaultBaseUrl }));

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }
}
