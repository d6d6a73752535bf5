using System.Security.Cryptography;

namespace Shop.WeChatPay.Simulator.MiniProgram;

/// <summary>
/// stable_token as WeChat documents it: per appid one current token valid 7200 s; the normal mode hands back the
/// current token, and a new one once fewer than 5 minutes are left (the old one stays valid until its own expiry);
/// force_refresh invalidates the current token at once. A token can also be expired by the test control.
/// </summary>
internal sealed class AccessTokens(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(7200);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string AppId, DateTimeOffset ExpiresAt, bool Revoked)> _tokens = new(StringComparer.Ordinal);

    /// <summary>Tokens issued per appid (tests check that a refused token led to one refresh).</summary>
    public int Issued(string appId)
    {
        lock (_gate)
        {
            return _tokens.Values.Count(t => t.AppId == appId);
        }
    }

    public (string Token, int ExpiresIn) Get(string appId, bool force)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_current.TryGetValue(appId, out var token) && _tokens[token] is var entry && !entry.Revoked)
            {
                if (force)
                {
                    _tokens[token] = entry with { Revoked = true };
                }
                else if (entry.ExpiresAt - now > Overlap)
                {
                    return (token, (int)(entry.ExpiresAt - now).TotalSeconds);
                }
            }

            var issued = RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-", 136);
            _tokens[issued] = (appId, now + Lifetime, false);
            _current[appId] = issued;
            return (issued, (int)Lifetime.TotalSeconds);
        }
    }

    /// <summary>The appid of a valid token, or WeChat's errcode: 40001 unknown (or revoked), 42001 expired.</summary>
    public (string? AppId, int ErrCode) Check(string? token)
    {
        lock (_gate)
        {
            if (string.IsNullOrEmpty(token) || !_tokens.TryGetValue(token, out var entry) || entry.Revoked)
            {
                return (null, 40001);
            }

            return entry.ExpiresAt <= time.GetUtcNow() ? (null, 42001) : (entry.AppId, 0);
        }
    }

    /// <summary>Test control: every token of the appid expires now; the next normal-mode call issues a new one.</summary>
    public int ExpireAll(string appId)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var expired = 0;
            foreach (var (token, entry) in _tokens.Where(t => t.Value.AppId == appId && t.Value.ExpiresAt > now).ToList())
            {
                _tokens[token] = entry with { ExpiresAt = now };
                expired++;
            }

            _current.Remove(appId);
            return expired;
        }
    }
}
