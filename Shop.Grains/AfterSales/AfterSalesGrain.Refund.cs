using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Inventory;

namespace Shop.Grains.AfterSales;

/// <summary>
/// The refund of an approved request, through the order's refunds (its own out_refund_no, one attempt at a time), and
/// the units going back into stock when the merchant chose so for a return, or when a refund only was refunded before shipping.
/// The request stays Refunding, due again after <see cref="AfterSalesOptions.RefundFollowUp"/>, until WeChat Pay settled.
/// </summary>
public sealed partial class AfterSalesGrain
{
    private const string StockOperator = "after-sales";

    private async Task FollowRefundAsync()
    {
        if (_request!.Restock == true && !_request.StockReturned)
        {
            // The goods are back in the warehouse: they are sellable now, whatever happens to the refund.
            await RestockAsync("returned goods");
        }

        var progress = await Order.RefundAfterSalesAsync(RequestId, _request.RefundAttempt);
        var later = clock.GetUtcNow() + _options.RefundFollowUp;
        switch (progress.State)
        {
            case AfterSalesRefundState.Succeeded:
                if (progress.Unshipped && !_request.StockReturned)
                {
                    await RestockAsync("refunded before shipping");
                }

                await MoveAsync(AfterSalesTrigger.RefundSucceeded, "wechatpay", $"refund {progress.OutRefundNo} settled",
                    r => r with { OutRefundNo = progress.OutRefundNo });
                break;
            case AfterSalesRefundState.Failed:
                logger.LogWarning("After-sales {RequestId}: {Detail}; a new refund is made at {Later}", RequestId, progress.Detail, later);
                await SaveAsync(_request with { RefundAttempt = _request.RefundAttempt + 1, OutRefundNo = progress.OutRefundNo, DueAt = later });
                break;
            default:
                await SaveAsync(_request with { OutRefundNo = progress.OutRefundNo ?? _request.OutRefundNo, DueAt = later });
                break;
        }
    }

    /// <summary>
    /// Each line's units back into available stock as an audited adjustment, keyed by the request and line so that a
    /// repeat never restocks twice: received grows by what came back, so received = available + reserved + sold holds.
    /// </summary>
    private async Task RestockAsync(string why)
    {
        foreach (var line in _request!.Lines)
        {
            var result = await GrainFactory.GetGrain<IInventoryGrain>(line.Sku).AdjustAsync(line.Quantity,
                $"after-sales {RequestId} of order {_request.OrderNo}: {why}", StockOperator, $"{RequestId}-{line.LineNo}");
            if (result.Status is not (AdjustStatus.Adjusted or AdjustStatus.AlreadyAdjusted))
            {
                logger.LogError("After-sales {RequestId}: restocking {Quantity} of {Sku} answered {Status}", RequestId, line.Quantity, line.Sku, result.Status);
            }
        }

        await SaveAsync(_request with { StockReturned = true });
    }
}
