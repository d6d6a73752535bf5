using Orleans.Serialization;
using Shop.Grains.Orders;
using Shop.Grains.Payments.WeChatPay;

namespace Shop.Silo.Hosting;

/// <summary>
/// Orleans codecs for the grain states that are stored as JSON and have no generated serializer. A silo that stops
/// gracefully hands its active grains to the others with their state (dehydration); without a codec every active order
/// logged "Failed to dehydrate state" as an error on each rolling restart and was read again from PostgreSQL instead.
/// The JSON is the one the order store writes, so what moves is exactly what is stored.
/// </summary>
public static class GrainStateJsonCodecs
{
    private static readonly HashSet<Type> Types = [typeof(OrderState), typeof(OrderPaymentState)];

    public static ISerializerBuilder AddGrainStateJsonCodecs(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(isSupported: Types.Contains, jsonSerializerOptions: OrderStateJson.Options);
}
