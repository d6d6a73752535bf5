using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Interfaces.Fulfilment;

/// <summary>
/// Fulfilment of one order; the same activation as its <see cref="IOrderGrain"/> (key = order number). Admins only: any
/// other caller gets NotFound.
/// </summary>
[Alias("Shop.Fulfilment.IOrderFulfilmentGrain")]
public interface IOrderFulfilmentGrain : IGrainWithStringKey
{
    /// <summary>Ships a paid order and queues the upload of its shipping information to WeChat.</summary>
    [Alias("ShipParcels")]
    Task<ShipOutcome> ShipParcelsAsync(OrderCaller caller, ShipCommand command);

    /// <summary>Replaces the parcels of a shipped order and uploads them again: WeChat's one re-upload per payment.</summary>
    [Alias("CorrectShipment")]
    Task<ShipOutcome> CorrectShipmentAsync(OrderCaller caller, ShipCommand command);

    /// <summary>Queues a failed upload again (after the cause was fixed), with a fresh retry budget.</summary>
    [Alias("RetryShippingUpload")]
    Task<ShipOutcome> RetryShippingUploadAsync(OrderCaller caller);
}

/// <summary>
/// The mini program's access token (key = appid), from <c>stable_token</c>: cached, refreshed before it expires, and
/// refreshed one call at a time for the whole cluster (one activation), so concurrent uploads never race for it.
/// </summary>
[Alias("Shop.Fulfilment.IWeChatAccessTokenGrain")]
public interface IWeChatAccessTokenGrain : IGrainWithStringKey
{
    [Alias("Get")]
    Task<AccessTokenAnswer> GetAsync();

    /// <summary>WeChat refused <paramref name="rejected"/>: a new token, unless another caller already replaced it.</summary>
    [Alias("Refresh")]
    Task<AccessTokenAnswer> RefreshAsync(string rejected);
}

/// <summary>A token, or why none could be had: WeChat's errcode (-1 when WeChat could not be reached).</summary>
[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.AccessTokenAnswer")]
public sealed record AccessTokenAnswer(
    [property: Id(0)] string? Token,
    [property: Id(1)] int ErrCode = 0,
    [property: Id(2)] string? ErrMsg = null);

/// <summary>Orders whose shipping information is not (yet) at WeChat, oldest first.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Fulfilment.ShippingUploadListItem")]
public sealed record ShippingUploadListItem(
    [property: Id(0)] string OrderNo,
    [property: Id(1)] ShippingUpload Upload);

[Alias("Shop.Fulfilment.IShippingUploadQueryGrain")]
public interface IShippingUploadQueryGrain : IGrainWithIntegerKey
{
    /// <summary>Up to <paramref name="limit"/> orders whose upload is in <paramref name="state"/> (Pending or Failed), oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<ShippingUploadListItem>> ListAsync(ShippingUploadState state, int limit);
}
