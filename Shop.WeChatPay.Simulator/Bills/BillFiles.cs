using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Shop.WeChatPay.Simulator.Bills;

/// <summary>A bill as applied for: its bytes (uncompressed), whether to gzip the download, for whom, until when.</summary>
internal sealed record BillFile(string MchId, byte[] Content, bool Gzip, DateTimeOffset ExpiresAt);

/// <summary>Applied-for bills by download token. The token is random and the URL expires after 5 minutes, as documented.</summary>
internal sealed class BillFiles(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, BillFile> _files = new(StringComparer.Ordinal);

    public string Add(string mchId, byte[] content, bool gzip)
    {
        var now = time.GetUtcNow();
        foreach (var (token, file) in _files)
        {
            if (file.ExpiresAt <= now)
            {
                _files.TryRemove(token, out _);
            }
        }

        var newToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(36)).Replace('+', '-').Replace('/', '_');
        _files[newToken] = new BillFile(mchId, content, gzip, now + Lifetime);
        return newToken;
    }

    public BillFile? Find(string token) => _files.TryGetValue(token, out var file) && file.ExpiresAt > time.GetUtcNow() ? file : null;
}
