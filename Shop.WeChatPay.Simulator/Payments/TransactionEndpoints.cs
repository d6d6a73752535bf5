using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Payments;

/// <summary>JSAPI prepay, query by out_trade_no or transaction_id, close. Requests arrive authenticated (<see cref="SignedRequest"/>).</summary>
internal static class TransactionEndpoints
{
    public static RouteGroupBuilder MapTransactions(this RouteGroupBuilder v3)
    {
        var transactions = v3.MapGroup("/pay/transactions");
        transactions.MapPost("/jsapi", Prepay);
        transactions.MapGet("/out-trade-no/{outTradeNo}", QueryByOutTradeNo);
        transactions.MapGet("/id/{transactionId}", QueryByTransactionId);
        transactions.MapPost("/out-trade-no/{outTradeNo}/close", Close);
        return v3;
    }

    private static Results<JsonHttpResult<PrepayResponse>, JsonHttpResult<WeChatPayError>> Prepay(SignedRequest request, OrderBook orders)
    {
        var (prepay, readError) = PrepayRequestReader.Read(request.Body);
        if (readError is not null)
        {
            return WeChatPayResults.Error(readError);
        }

        var (response, error) = orders.Prepay(request.Merchant, prepay!);
        return error is null ? WeChatPayResults.Ok(response!) : WeChatPayResults.Error(error);
    }

    private static Results<JsonHttpResult<Transaction>, JsonHttpResult<WeChatPayError>> QueryByOutTradeNo(
        string outTradeNo, [FromQuery(Name = "mchid")] string? mchId, SignedRequest request, OrderBook orders)
    {
        if (CheckMchIdQuery(mchId, request) is { } error)
        {
            return WeChatPayResults.Error(error);
        }

        return orders.Find(new OrderKey(request.Merchant.MchId, outTradeNo)) is { } order
            ? WeChatPayResults.Ok(TransactionView.From(order))
            : WeChatPayResults.Error(WeChatPayError.OrderNotExist());
    }

    private static Results<JsonHttpResult<Transaction>, JsonHttpResult<WeChatPayError>> QueryByTransactionId(
        string transactionId, [FromQuery(Name = "mchid")] string? mchId, SignedRequest request, OrderBook orders)
    {
        if (CheckMchIdQuery(mchId, request) is { } error)
        {
            return WeChatPayResults.Error(error);
        }

        return orders.FindByTransactionId(request.Merchant.MchId, transactionId) is { } order
            ? WeChatPayResults.Ok(TransactionView.From(order))
            : WeChatPayResults.Error(WeChatPayError.OrderNotExist());
    }

    /// <summary>204 with an empty (still signed) body.</summary>
    private static Results<NoContent, JsonHttpResult<WeChatPayError>> Close(string outTradeNo, SignedRequest request, OrderBook orders)
    {
        if (JsonFields.Parse(request.Body, out var parseError) is not { } f)
        {
            return WeChatPayResults.Error(parseError!);
        }

        var mchId = f.Text("/mchid", required: true, maxBytes: 32);
        if (f.Error is { } fieldError)
        {
            return WeChatPayResults.Error(fieldError);
        }

        if (mchId != request.Merchant.MchId)
        {
            return WeChatPayResults.Error(WeChatPayError.InvalidRequest($"mchid {mchId} does not match the signing merchant {request.Merchant.MchId}"));
        }

        return orders.Close(new OrderKey(mchId, outTradeNo)) is { } error ? WeChatPayResults.Error(error) : TypedResults.NoContent();
    }

    private static WeChatPayError? CheckMchIdQuery(string? mchId, SignedRequest request) =>
        string.IsNullOrEmpty(mchId) ? WeChatPayError.Param("/mchid", null, "is required", "query")
        : mchId != request.Merchant.MchId ? WeChatPayError.InvalidRequest($"mchid {mchId} does not match the signing merchant {request.Merchant.MchId}")
        : null;
}
