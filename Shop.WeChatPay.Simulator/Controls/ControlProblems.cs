using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Simulator.Payments;
using Shop.WeChatPay.Simulator.Refunds;

namespace Shop.WeChatPay.Simulator.Controls;

/// <summary>Problem details with a stable <c>code</c> for the test controls, and the lookups they share.</summary>
internal static class ControlProblems
{
    public static ProblemHttpResult Problem(int status, string code, string detail) =>
        TypedResults.Problem(detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });

    public static ProblemHttpResult Invalid(string detail) => Problem(StatusCodes.Status400BadRequest, "INVALID_CONTROL", detail);

    public static (SimOrder? Order, ProblemHttpResult? Problem) FindOrder(SimulatorLedger ledger, string outTradeNo, string? mchId)
    {
        lock (ledger.Gate)
        {
            var matches = ledger.OrdersNumbered(outTradeNo).Where(o => mchId is null || o.MchId == mchId).ToList();
            return matches.Count switch
            {
                1 => (matches[0], null),
                0 => (null, Problem(StatusCodes.Status404NotFound, "ORDER_NOT_FOUND", $"no order {outTradeNo}{For(mchId)}")),
                _ => (null, Invalid($"several merchants have an order {outTradeNo}; add mchid")),
            };
        }
    }

    public static (SimOrder? Order, ProblemHttpResult? Problem) FindByPrepayId(SimulatorLedger ledger, string prepayId)
    {
        lock (ledger.Gate)
        {
            return ledger.OrderByPrepayId(prepayId) is { } order
                ? (order, null)
                : (null, Problem(StatusCodes.Status404NotFound, "ORDER_NOT_FOUND", $"no order has prepay_id {prepayId}"));
        }
    }

    public static (SimRefund? Refund, ProblemHttpResult? Problem) FindRefund(SimulatorLedger ledger, string outRefundNo, string? mchId)
    {
        lock (ledger.Gate)
        {
            var matches = ledger.RefundsNumbered(outRefundNo).Where(r => mchId is null || r.MchId == mchId).ToList();
            return matches.Count switch
            {
                1 => (matches[0], null),
                0 => (null, Problem(StatusCodes.Status404NotFound, "REFUND_NOT_FOUND", $"no refund {outRefundNo}{For(mchId)}")),
                _ => (null, Invalid($"several merchants have a refund {outRefundNo}; add mchid")),
            };
        }
    }

    private static string For(string? mchId) => mchId is null ? "" : $" for merchant {mchId}";
}

/// <summary>Test controls change money state without a signature, so they answer only callers on this machine.</summary>
internal sealed class LoopbackOnlyFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip)
            ? await next(context)
            : ControlProblems.Problem(StatusCodes.Status403Forbidden, "LOOPBACK_ONLY", "test controls answer only loopback callers");
}
