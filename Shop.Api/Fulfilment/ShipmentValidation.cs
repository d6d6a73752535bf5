using Shop.Api.Errors;
using Shop.Client.Fulfilment;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Api.Fulfilment;

public static class ShipmentValidation
{
    /// <summary>
    /// As <see cref="RequestValidation.Validate{TRequest}"/>, with the courier list of <see cref="CourierDirectory"/>
    /// (asked for the couriers the request names, so one WeChat added a moment ago is read before it is refused).
    /// </summary>
    public static RouteHandlerBuilder ValidateShipment<TRequest>(this RouteHandlerBuilder builder, Func<TRequest, IEnumerable<string>> couriersNamed,
        Action<TRequest, DeliveryCompanies, ValidationErrors> rules)
        where TRequest : class =>
        builder.Validate<TRequest>(async (request, http, errors) =>
            rules(request, await http.RequestServices.GetRequiredService<CourierDirectory>().GetAsync(couriersNamed(request)), errors));

    /// <summary>The courier ids of a shipment's express parcels, as the rules compare them (trimmed).</summary>
    public static IEnumerable<string> CouriersOf(string? logisticsType, IReadOnlyList<ParcelRequest?>? parcels) =>
        logisticsType == "Express"
            ? (parcels ?? []).Select(p => p?.Courier?.Trim()).Where(c => !string.IsNullOrEmpty(c)).Select(c => c!)
            : [];
}
