using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Endpoints;
using Shop.Api.Errors;
using Shop.Api.Orders;
using Shop.Client.Fulfilment;
using Shop.Client.Orders;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Interfaces.Orders;
using Shop.Hosting;
using Shop.WeChatPay.MiniProgram;

namespace Shop.Api.Fulfilment;

/// <summary>
/// Shipping (admin): <c>/api/admin/orders/{orderNo}/shipments</c> (ship in parcels; PUT corrects them once), a batch
/// of many orders, the WeChat shipping-information upload of an order (state, retry), the uploads pending or failed,
/// and WeChat's courier list.
/// </summary>
public static class ShipmentEndpoints
{
    public static RouteGroupBuilder MapShipmentEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Orders").RequireShopPolicy(ShopPolicies.Admin);
        admin.MapPost("/orders/{orderNo}/shipments", ShipAsync).WithName("ShipOrderParcels")
            .WithSummary("Ships a paid order in parcels (or virtual / pickup) and queues the upload of its shipping information to WeChat.")
            .ValidateShipment<ShipmentRequest>(r => ShipmentValidation.CouriersOf(r.LogisticsType, r.Parcels), ShipmentRules.Check)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPut("/orders/{orderNo}/shipments", CorrectAsync).WithName("CorrectShipment")
            .WithSummary("Replaces a shipped order's parcels once and uploads them again (WeChat allows one re-upload).")
            .ValidateShipment<ShipmentRequest>(r => ShipmentValidation.CouriersOf(r.LogisticsType, r.Parcels), ShipmentRules.Check)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        admin.MapPost("/shipments/batch", ShipBatchAsync).WithName("ShipOrdersBatch")
            .WithSummary("Ships up to 100 orders; each is answered on its own (status and problem code as the single call would).")
            .ValidateShipment<BatchShipmentRequest>(
                r => (r.Orders ?? []).SelectMany(o => ShipmentValidation.CouriersOf(o?.LogisticsType, o?.Parcels)), CheckBatch);
        admin.MapGet("/orders/{orderNo}/shipping-upload", GetUploadAsync).WithName("GetShippingUpload")
            .WithSummary("The state of the order's shipping-information upload to WeChat.").ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPost("/orders/{orderNo}/shipping-upload/retry", RetryUploadAsync).WithName("RetryShippingUpload")
            .WithSummary("Queues a failed upload again with a fresh retry budget.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        admin.MapGet("/shipping-uploads", ListUploadsAsync).WithName("ListShippingUploads")
            .WithSummary("Orders whose shipping information is not at WeChat: state=Failed (default) or Pending, oldest first.")
            .ProducesValidationProblem();
        admin.MapGet("/couriers", ListCouriersAsync).WithName("ListCouriers")
            .WithSummary("WeChat's delivery company list: the courier ids a parcel may name (as the cluster last fetched it, else as shipped with this build).");
        return api;
    }

    public static async Task<Ok<CourierListResponse>> ListCouriersAsync(CourierDirectory directory)
    {
        var couriers = await directory.GetAsync([]);
        return TypedResults.Ok(new CourierListResponse(couriers.Source, [.. couriers.All.Select(c => new CourierResponse(c.DeliveryId, c.DeliveryName))]));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> ShipAsync(string orderNo, ShipmentRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        OrderNumber.IsValid(orderNo)
            ? (await cluster.GetGrain<IOrderFulfilmentGrain>(orderNo).ShipParcelsAsync(user.Caller(), FulfilmentMapping.ToCommand(request.LogisticsType!, request.Parcels, request.Partial == true))).ToResult()
            : OrderMapping.OrderNotFound();

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> CorrectAsync(string orderNo, ShipmentRequest request, ClaimsPrincipal user, IClusterClient cluster) =>
        OrderNumber.IsValid(orderNo)
            ? (await cluster.GetGrain<IOrderFulfilmentGrain>(orderNo).CorrectShipmentAsync(user.Caller(), FulfilmentMapping.ToCommand(request.LogisticsType!, request.Parcels))).ToResult()
            : OrderMapping.OrderNotFound();

    public static void CheckBatch(BatchShipmentRequest request, DeliveryCompanies couriers, ValidationErrors errors)
    {
        var orders = request.Orders ?? [];
        errors.Check(orders.Count is >= 1 and <= BatchShipmentRequest.MaxOrders, "orders", $"1 to {BatchShipmentRequest.MaxOrders} orders.");
        errors.Check(orders.Select(o => o?.OrderNo).Distinct(StringComparer.Ordinal).Count() == orders.Count, "orders", "Each order at most once.");
        for (var k = 0; k < Math.Min(orders.Count, BatchShipmentRequest.MaxOrders); k++)
        {
            errors.Required($"orders[{k}].orderNo", orders[k]?.OrderNo, 64);
            ShipmentRules.Check(orders[k]?.LogisticsType, orders[k]?.Parcels, couriers, errors, $"orders[{k}].");
        }
    }

    /// <summary>The orders are shipped concurrently (each is its own grain); one order's failure never touches another.</summary>
    public static async Task<Ok<BatchShipmentResponse>> ShipBatchAsync(BatchShipmentRequest request, ClaimsPrincipal user, IClusterClient cluster)
    {
        var caller = user.Caller();
        var results = await Task.WhenAll(request.Orders!.Select(async item =>
        {
            var orderNo = item.OrderNo!.Trim();
            var outcome = OrderNumber.IsValid(orderNo)
                ? await cluster.GetGrain<IOrderFulfilmentGrain>(orderNo).ShipParcelsAsync(caller, FulfilmentMapping.ToCommand(item.LogisticsType!, item.Parcels))
                : new ShipOutcome(ShipStatus.NotFound);
            return new BatchShipmentResult(orderNo, FulfilmentMapping.StatusOf(outcome), FulfilmentMapping.CodeOf(outcome),
                outcome.Status == ShipStatus.Ok ? null : FulfilmentMapping.Problem(outcome).ProblemDetails.Detail, outcome.Order?.ToResponse());
        }));
        var shipped = results.Count(r => r.Status == StatusCodes.Status200OK);
        return TypedResults.Ok(new BatchShipmentResponse(results, shipped, results.Length - shipped));
    }

    public static async Task<Results<Ok<ShippingUploadResponse>, ProblemHttpResult>> GetUploadAsync(string orderNo, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!OrderNumber.IsValid(orderNo) || (await cluster.GetGrain<IOrderGrain>(orderNo).GetAsync(user.Caller())).Order is not { } order)
        {
            return OrderMapping.OrderNotFound();
        }

        return order.Fulfilment?.Upload is { } upload
            ? TypedResults.Ok(FulfilmentMapping.ToResponse(orderNo, upload))
            : ShopProblems.NotFound(FulfilmentErrorCodes.ShippingUploadNotFound, "The order has no shipping-information upload (not shipped, or not paid through WeChat Pay by a mini-program user).");
    }

    public static async Task<Results<Ok<ShippingUploadResponse>, ProblemHttpResult>> RetryUploadAsync(string orderNo, ClaimsPrincipal user, IClusterClient cluster)
    {
        if (!OrderNumber.IsValid(orderNo))
        {
            return OrderMapping.OrderNotFound();
        }

        var outcome = await cluster.GetGrain<IOrderFulfilmentGrain>(orderNo).RetryShippingUploadAsync(user.Caller());
        return outcome is { Status: ShipStatus.Ok, Order.Fulfilment.Upload: { } upload }
            ? TypedResults.Ok(FulfilmentMapping.ToResponse(orderNo, upload))
            : FulfilmentMapping.Problem(outcome);
    }

    public static async Task<Results<Ok<ShippingUploadListResponse>, ValidationProblem>> ListUploadsAsync(string? state, string? limit, IClusterClient cluster)
    {
        var errors = new ValidationErrors();
        var wanted = state ?? nameof(ShippingUploadState.Failed);
        errors.OneOf("state", wanted, [nameof(ShippingUploadState.Pending), nameof(ShippingUploadState.Failed)]);
        var count = ShippingUploadListResponse.DefaultLimit;
        errors.Check(limit is null || (int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
            && count is >= 1 and <= ShippingUploadListResponse.MaxLimit), "limit", $"Must be between 1 and {ShippingUploadListResponse.MaxLimit}.");
        if (!errors.IsValid)
        {
            return ShopProblems.Validation(errors);
        }

        var items = await cluster.GetGrain<IShippingUploadQueryGrain>(0).ListAsync(Enum.Parse<ShippingUploadState>(wanted), count);
        return TypedResults.Ok(new ShippingUploadListResponse([.. items.Select(i => FulfilmentMapping.ToResponse(i.OrderNo, i.Upload))]));
    }
}
