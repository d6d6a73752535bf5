using Orleans.Serialization;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// An Idempotency-Key's answer as stored: the Orleans-serialized answer, encrypted under the key's context. The bytes
/// are encrypted as they are (marked <c>~</c>); answers stored before were base64 text encrypted and base64-encoded
/// again, a third larger: 1,854 bytes for an order's answer, which took the record past PostgreSQL's 2 kB TOAST
/// threshold, so every answer's UPDATE also tried to compress it and moved it to the TOAST table. Both read back.
/// </summary>
public static class SealedAnswers
{
    private const char Raw = '~';

    public static string Seal(Serializer serializer, PersonalDataProtector protector, IdempotentAnswer answer, string key) =>
        Raw + protector.ProtectBytes(serializer.SerializeToArray(answer), Context(key));

    public static IdempotentAnswer Unseal(Serializer serializer, PersonalDataProtector protector, string sealedOutcome, string key)
    {
        var bytes = sealedOutcome.StartsWith(Raw)
            ? protector.UnprotectBytes(sealedOutcome[1..], Context(key))
            : Convert.FromBase64String(protector.Unprotect(sealedOutcome, Context(key)));
        return serializer.Deserialize<IdempotentAnswer>(bytes) ?? throw new InvalidOperationException("A stored answer is empty.");
    }

    public static string Context(string key) => $"idempotency:{key}";
}
