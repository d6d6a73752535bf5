using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Refunds;

/// <summary>Domestic refunds: create (idempotent by out_refund_no) and query. Direct merchants pass no mchid: the signature says who.</summary>
internal static class RefundEndpoints
{
    public static RouteGroupBuilder MapRefunds(this RouteGroupBuilder v3)
    {
        var refunds = v3.MapGroup("/refund/domestic/refunds");
        refunds.MapPost("", Create);
        refunds.MapGet("/{outRefundNo}", Query);
        return v3;
    }

    private static Results<JsonHttpResult<Refund>, JsonHttpResult<WeChatPayError>> Create(SignedRequest request, RefundDesk desk)
    {
        var (refundRequest, readError) = RefundRequestReader.Read(request.Body);
        if (readError is not null)
        {
            return WeChatPayResults.Error(readError);
        }

        var (refund, error) = desk.Create(request.Merchant, refundRequest!);
        return error is null ? WeChatPayResults.Ok(refund!) : WeChatPayResults.Error(error);
    }

    private static Results<JsonHttpResult<Refund>, JsonHttpResult<WeChatPayError>> Query(string outRefundNo, SignedRequest request, RefundDesk desk) =>
        desk.Find(new RefundKey(request.Merchant.MchId, outRefundNo)) is { } refund
            ? WeChatPayResults.Ok(RefundView.From(refund))
            : WeChatPayResults.Error(new WeChatPayError(404, "RESOURCE_NOT_EXISTS", "退款单不存在"));
}
