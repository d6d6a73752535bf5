namespace Shop.WeChatPay.Verification;

/// <summary>Finds the public key for a <c>Wechatpay-Serial</c> value; null means the serial is unknown.</summary>
public interface IVerificationKeyResolver
{
    ValueTask<VerificationKey?> ResolveAsync(string serial, CancellationToken cancellationToken);
}

/// <summary>Resolves from a <see cref="VerificationKeyStore"/> only (public-key mode, or no refresh allowed).</summary>
public sealed class StoreKeyResolver(VerificationKeyStore store) : IVerificationKeyResolver
{
    public ValueTask<VerificationKey?> ResolveAsync(string serial, CancellationToken cancellationToken) =>
        ValueTask.FromResult(store.Find(serial));
}
