using System.Text.Json;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Crypto;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Notifications;

/// <summary>
/// Turns a message into WeChat Pay's notification body: the resource JSON encrypted with AEAD_AES_256_GCM under the
/// merchant's APIv3 key (associated_data = original_type, a random 12-character nonce), inside the envelope with a
/// unique id. Signed per attempt by the dispatcher with the key of the merchant's mode.
/// </summary>
internal sealed class NotificationPublisher(MerchantRegistry merchants, PlatformKeys keys, NotificationOutbox outbox, TimeProvider time)
{
    public void Publish(NotificationMessage message)
    {
        var merchant = merchants.Find(message.Order.MchId)
            ?? throw new InvalidOperationException($"No merchant {message.Order.MchId} to notify.");
        var now = time.GetUtcNow();
        var nonce = WeChatTime.NewResourceNonce();
        var plaintext = JsonSerializer.Serialize(message.Resource, message.Resource.GetType(), WeChatPayJson.Options);
        var envelope = new NotificationEnvelope
        {
            Id = Guid.NewGuid().ToString(),
            CreateTime = WeChatTime.Of(now),
            ResourceType = "encrypt-resource",
            EventType = message.EventType,
            Summary = message.Summary,
            Resource = new EncryptedResource
            {
                OriginalType = message.OriginalType,
                Algorithm = EncryptedResource.AeadAes256Gcm,
                Ciphertext = merchant.Cipher.Encrypt(plaintext, nonce, message.OriginalType),
                AssociatedData = message.OriginalType,
                Nonce = nonce,
            },
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(envelope, WeChatPayJson.Options);
        outbox.Enqueue(new PreparedNotification(envelope.Id, message.Order, message.OutRefundNo, message.EventType, message.Url, body,
            keys.SerialFor(merchant.KeyMode)), now);
    }
}
