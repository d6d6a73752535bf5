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
        builder
            .AddEndpointFilterFactory((factory, next) =>
            {
                var index = Array.FindIndex(factory.MethodInfo.GetParameters(), p => p.ParameterType == typeof(TRequest));
                if (index < 0)
                {
                    throw new InvalidOperationException(
                        $"{factory.MethodInfo.Name} validates {typeof(TRequest).Name} but takes no parameter of that type.");
                }

                return async context =>
                {
                    var errors = new ValidationErrors();
                    if (context.Arguments[index] is TRequest request)
                    {
                        var couriers = await context.HttpContext.RequestServices.GetRequiredService<CourierDirectory>().GetAsync(couriersNamed(request));
                        rules(request, couriers, errors);
                    }
                    else
                    {
                        errors.Add("body", "A request body is required.");
                    }

                    return errors.IsValid ? await next(context) : ShopProblems.Validation(errors);
                };
            })
            .ProducesValidationProblem();

    /// <summary>The courier ids of a shipment's express parcels, as the rules compare them (trimmed).</summary>
    public static IEnumerable<string> CouriersOf(string? logisticsType, IReadOnlyList<ParcelRequest?>? parcels) =>
        logisticsType == "Express"
            ? (parcels ?? []).Select(p => p?.Courier?.Trim()).Where(c => !string.IsNullOrEmpty(c)).Select(c => c!)
            : [];
}
