using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Shop.Hosting;

namespace Shop.Grains.Orders;

/// <summary>
/// A keyed permutation of 64-bit values: a balanced Feistel network (two 32-bit halves) whose round function is
/// HMAC-SHA256 under <c>Orders:NumberKey</c>.
/// </summary>
/// <remarks>
/// Why this and not something else: the order number must be unique without a database round trip and must not be
/// enumerable. A raw snowflake is unique but sequential (the next customer's number is the previous one plus one);
/// a random suffix is unguessable but can collide and needs a uniqueness check; AES would need a 128-bit block
/// (39 digits, too long for WeChat Pay's 32-character out_trade_no). A Feistel network is a bijection for any round
/// function, so distinct snowflakes give distinct outputs (uniqueness is kept exactly), while without the key
/// consecutive inputs map to unrelated-looking outputs. Ten rounds, as in NIST's FF1 format-preserving encryption.
/// </remarks>
public sealed class OrderNumberPermutation
{
    public const int MinimumKeyBytes = 16;
    private const int Rounds = 10;
    private readonly byte[] _key;

    public OrderNumberPermutation(ReadOnlySpan<byte> key)
    {
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The order number key must be at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        _key = key.ToArray();
    }

    public static OrderNumberPermutation FromConfiguration(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ShopConfigurationException(
                "Orders:NumberKey is not set. Set a random secret of at least 16 bytes (e.g. environment variable Orders__NumberKey); " +
                "changing it later changes how new order numbers look, never their uniqueness.");
        }

        var bytes = Encoding.UTF8.GetBytes(key);
        return bytes.Length >= MinimumKeyBytes
            ? new OrderNumberPermutation(bytes)
            : throw new ShopConfigurationException($"Orders:NumberKey is {bytes.Length} bytes; it needs at least {MinimumKeyBytes}.");
    }

    public ulong Permute(ulong value)
    {
        var left = (uint)(value >> 32);
        var right = (uint)value;
        for (var round = 0; round < Rounds; round++)
        {
            (left, right) = (right, left ^ Round(round, right));
        }

        return ((ulong)left << 32) | right;
    }

    public ulong Invert(ulong value)
    {
        var left = (uint)(value >> 32);
        var right = (uint)value;
        for (var round = Rounds - 1; round >= 0; round--)
        {
            (left, right) = (right ^ Round(round, left), left);
        }

        return ((ulong)left << 32) | right;
    }

    private uint Round(int round, uint half)
    {
        Span<byte> input = stackalloc byte[5];
        input[0] = (byte)round;
        BinaryPrimitives.WriteUInt32BigEndian(input[1..], half);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, mac);
        return BinaryPrimitives.ReadUInt32BigEndian(mac);
    }
}
