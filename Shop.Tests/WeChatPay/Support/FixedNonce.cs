using Shop.WeChatPay.Signing;

namespace Shop.Tests.WeChatPay.Support;

/// <summary>Hands out the given nonces in order (then repeats the last), so vector signatures can be reproduced.</summary>
internal sealed class FixedNonce(params string[] nonces) : INonceGenerator
{
    private int _next;

    public string Next() => nonces[Math.Min(Interlocked.Increment(ref _next) - 1, nonces.Length - 1)];
}
