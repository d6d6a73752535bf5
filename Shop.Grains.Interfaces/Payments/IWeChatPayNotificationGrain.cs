namespace Shop.Grains.Interfaces.Payments;

/// <summary>
/// Handles one WeChat Pay notification (stateless: any silo, many at once). The API hands over the raw body and the
/// headers untouched, because the signature covers the exact bytes received.
/// </summary>
[Alias("Shop.Payments.IWeChatPayNotificationGrain")]
public interface IWeChatPayNotificationGrain : IGrainWithIntegerKey
{
    [Alias("Handle")]
    Task<NotificationAnswer> HandleAsync(WeChatPayDelivery delivery);
}

/// <summary>A notification as received: its Wechatpay-* headers (names as sent) and the raw body bytes.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Payments.WeChatPayDelivery")]
public sealed record WeChatPayDelivery(
    [property: Id(0)] IReadOnlyDictionary<string, string> Headers,
    [property: Id(1)] byte[] Body);

/// <summary>
/// What to answer WeChat Pay: 204 (processed now or before) or a 4xx/5xx with a reason, so that it delivers again.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Payments.NotificationAnswer")]
public sealed record NotificationAnswer([property: Id(0)] int Status, [property: Id(1)] string? Message)
{
    public static NotificationAnswer Processed { get; } = new(204, null);

    public bool IsSuccess => Status is >= 200 and < 300;
}
