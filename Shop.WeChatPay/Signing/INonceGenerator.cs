using System.Security.Cryptography;

namespace Shop.WeChatPay.Signing;

/// <summary>Source of nonce_str / nonceStr values; injectable so signatures can be reproduced exactly in tests.</summary>
public interface INonceGenerator
{
    string Next();
}

/// <summary>32 cryptographically random characters from [0-9A-Za-z], as the official SDKs produce.</summary>
public sealed class RandomNonceGenerator : INonceGenerator
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public string Next() => RandomNumberGenerator.GetString(Alphabet, 32);
}
