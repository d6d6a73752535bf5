using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Client.Fulfilment;
using Shop.Client.Orders;
using Shop.Client.PersonalData;
using Shop.Grains.Interfaces.PersonalData;
using Shop.Hosting;

namespace Shop.Api.PersonalData;

/// <summary>
/// Every answer that hands an admin a customer's decrypted shipping details (an <see cref="OrderResponse"/>: order
/// detail, ship, correct, batch ship, and any route added later that returns one) is written to the access log
/// first. The filter is chosen per endpoint by its return type when the routes are built, so routes that cannot
/// return an order pay nothing. When the record cannot be written the data is not shown: 503.
/// </summary>
public static class AuditFilter
{
    /// <summary>An optional header naming why an operator looks (e.g. a support ticket); stored with the record.</summary>
    public const string ReasonHeader = "X-Access-Reason";
    public const int MaxReasonLength = 200;

    public static RouteGroupBuilder AuditPersonalDataReads(this RouteGroupBuilder api) =>
        api.AddEndpointFilterFactory((factory, next) =>
            MayCarryOrders(factory.MethodInfo.ReturnType) ? context => AuditAsync(context, next) : next);

    /// <summary>What an answer of this route shows of each order: the shipping name, phone, address, and the remark if any.</summary>
    public static IReadOnlyList<string> Fields(OrderResponse order) =>
        order.Remark is null ? ["name", "phone", "address"] : ["name", "phone", "address", "remark"];

    private static async ValueTask<object?> AuditAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        if (!http.User.Roles().Contains(ShopRoles.Admin) || OrdersIn(result) is not { Count: > 0 } orders)
        {
            return result;
        }

        var reason = Reason(http);
        var traceId = ShopProblemDetails.TraceId(http);
        var audit = http.RequestServices.GetRequiredService<IClusterClient>().GetGrain<IPersonalDataAuditGrain>(0);
        var admin = http.User.Subject();
        return await RecordOrFailAsync(http, () => Task.WhenAll(orders.Select(o => audit.RecordAsync(
            new PersonalDataAccessRequest(admin, null, o.OrderNo, Fields(o), PersonalDataPurposes.OrderRead, reason, traceId)))), result);
    }

    /// <summary>Runs the audit write; on failure answers 503 (Retry-After) instead of <paramref name="result"/>.</summary>
    public static async Task<object?> RecordOrFailAsync(HttpContext http, Func<Task> record, object? result)
    {
        try
        {
            await record();
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditFilter))
                .LogError(ex, "The personal-data access log could not record a read on {Route}; the data was withheld", http.Request.Path.Value);
            return Unavailable(http);
        }
    }

    public static ProblemHttpResult Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "5";
        return ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, PersonalDataErrorCodes.AccessLogUnavailable,
            "The access log of personal data cannot be written right now, so the data is not shown. Retry shortly.");
    }

    public static string? Reason(HttpContext http) =>
        http.Request.Headers[ReasonHeader].ToString() is { Length: > 0 } reason ? reason.Trim()[..Math.Min(reason.Trim().Length, MaxReasonLength)] : null;

    private static List<OrderResponse>? OrdersIn(object? result)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return (result as IValueHttpResult)?.Value switch
        {
            OrderResponse order => [order],
            BatchShipmentResponse batch => [.. batch.Results.Select(r => r.Order).OfType<OrderResponse>()],
            _ => null,
        };
    }

    private static bool MayCarryOrders(Type type) =>
        type == typeof(OrderResponse) || type == typeof(BatchShipmentResponse)
        || (type.IsGenericType && type.GetGenericArguments().Any(MayCarryOrders));
}
