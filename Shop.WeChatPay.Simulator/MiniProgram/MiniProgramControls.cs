using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.Payments;

namespace Shop.WeChatPay.Simulator.MiniProgram;

/// <summary>
/// An outage of the mini-program API: the next <see cref="Count"/> requests to it answer HTTP <see cref="Status"/>
/// (503 by default), or, with status 200, errcode <see cref="ErrCode"/> (-1 system error by default); with
/// <see cref="Path"/> only requests to that path (e.g. /wxa/sec/order/upload_shipping_info) count.
/// </summary>
public sealed record MiniProgramFaultCommand(int Count = 1, int Status = 503, [property: JsonPropertyName("errcode")] int ErrCode = -1, string? Path = null);

/// <summary>The courier list get_delivery_list answers from now on.</summary>
public sealed record DeliveryListCommand([property: JsonPropertyName("delivery_list")] IReadOnlyList<Shop.WeChatPay.MiniProgram.DeliveryCompany>? DeliveryList);

/// <summary>Loopback-only controls under /simulator/miniprogram.</summary>
internal static class MiniProgramControls
{
    public static RouteGroupBuilder MapMiniProgramControls(this RouteGroupBuilder controls)
    {
        var group = controls.MapGroup("/miniprogram");
        group.MapPost("/faults", Arm);
        group.MapDelete("/faults", (MiniProgramFaults faults) =>
        {
            faults.Clear();
            return TypedResults.NoContent();
        });
        group.MapPost("/tokens/{appId}/expire", (string appId, AccessTokens tokens) => TypedResults.Ok(new { expired = tokens.ExpireAll(appId) }));
        group.MapGet("/tokens/{appId}", (string appId, AccessTokens tokens) => TypedResults.Ok(new { issued = tokens.Issued(appId) }));
        group.MapGet("/orders/{outTradeNo}/shipping", Shipping);
        group.MapGet("/delivery-list", (DeliveryList couriers) => TypedResults.Ok(couriers.Current.All));
        group.MapPut("/delivery-list", ReplaceDeliveryList);
        return controls;
    }

    private static Results<NoContent, ProblemHttpResult> Arm(MiniProgramFaultCommand command, MiniProgramFaults faults)
    {
        if (command.Count is < 1 or > 1000)
        {
            return ControlProblems.Invalid("count must be 1-1000");
        }

        if (command.Status is not (200 or (>= 400 and <= 599)))
        {
            return ControlProblems.Invalid("status must be 200 (with errcode) or 400-599");
        }

        if (command.Path is { } path && !path.StartsWith('/'))
        {
            return ControlProblems.Invalid("path must start with /");
        }

        faults.Arm(command.Count, command.Status, command.ErrCode, command.Path);
        return TypedResults.NoContent();
    }

    /// <summary>Replaces the list get_delivery_list answers (and upload_shipping_info checks) with the body's delivery_list.</summary>
    private static Results<NoContent, ProblemHttpResult> ReplaceDeliveryList(DeliveryListCommand command, DeliveryList couriers)
    {
        var list = command.DeliveryList ?? [];
        if (list.Count == 0 || list.Any(c => string.IsNullOrWhiteSpace(c?.DeliveryId) || string.IsNullOrWhiteSpace(c.DeliveryName))
            || list.DistinctBy(c => c.DeliveryId, StringComparer.Ordinal).Count() != list.Count)
        {
            return ControlProblems.Invalid("delivery_list must hold companies with distinct delivery_id and a delivery_name");
        }

        couriers.Replace(list);
        return TypedResults.NoContent();
    }

    /// <summary>What WeChat holds about the order's shipping, and every upload it accepted, exactly as received.</summary>
    private static IResult Shipping(string outTradeNo, string? mchid, SimulatorLedger ledger, ShippingDesk desk)
    {
        var (order, problem) = ControlProblems.FindOrder(ledger, outTradeNo, mchid);
        if (order is null)
        {
            return problem!;
        }

        var record = desk.Find(order.Key);
        return Results.Json(new JsonObject
        {
            ["out_trade_no"] = order.OutTradeNo,
            ["finish_shipping"] = record?.Finished ?? false,
            ["finish_shipping_count"] = record?.FinishCount ?? 0,
            ["reupload_used"] = record?.ReuploadUsed ?? false,
            ["uploads"] = new JsonArray([.. (record?.Uploads ?? []).Select(u => (JsonNode)u.DeepClone())]),
        });
    }
}
