using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Grains.Fulfilment;
using Shop.Grains.Interfaces.AfterSales;
using Shop.Grains.Interfaces.Fulfilment;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Shipping: parcels, and the upload of the shipping information to WeChat. The upload is part of the order's row
/// (pending, with when to try next), so it survives restarts: the order's due time covers it, and the due-order sweep
/// wakes an order whose upload is due on whichever silo is up; while the order is active a timer hits the time.
/// </summary>
public sealed partial class OrderGrain : IOrderFulfilmentGrain
{
    private IGrainTimer? _uploadTimer;

    private FulfilmentOptions FulfilmentSettings => ServiceProvider.GetRequiredService<IOptions<FulfilmentOptions>>().Value;

    public Task<ShipOutcome> ShipParcelsAsync(OrderCaller caller, ShipCommand command) => ShipAsync(caller, command);

    public async Task<ShipOutcome> CorrectShipmentAsync(OrderCaller caller, ShipCommand command)
    {
        if (!IsReal || !caller.IsAdmin)
        {
            return new ShipOutcome(ShipStatus.NotFound);
        }

        if (Order.Progress.Status != OrderStatus.Shipped)
        {
            return new ShipOutcome(ShipStatus.InvalidTransition, Detail: $"Only a shipped order's parcels can be corrected (before receipt is confirmed); this one is {Order.Progress.Status}.");
        }

        if (Order.Fulfilment is not { } current)
        {
            return new ShipOutcome(ShipStatus.InvalidTransition, Detail: "The order was shipped before parcels were recorded; it has none to correct.");
        }

        if (current.ReuploadUsed || current.CorrectedAt is not null)
        {
            return new ShipOutcome(ShipStatus.ReuploadUsed, Detail: "This order's one correction (WeChat's one re-upload) was used.");
        }

        var (planned, problem) = ParcelPlan.For(command, Order.Lines, refunded: RefundedBeforeShipping());
        if (planned is not { } parcels)
        {
            return new ShipOutcome(ShipStatus.LinesMismatch, Detail: problem);
        }

        var first = parcels.FirstOrDefault();
        var carrier = first?.Courier ?? command.LogisticsType.ToString();
        var trackingNo = first?.TrackingNo ?? "";
        // The history and the event log keep the correction: who, when, and the parcels before and after.
        if (Move(OrderTrigger.CorrectShipment, caller.Actor, $"{carrier} {trackingNo}".Trim()) is not { } moved)
        {
            return new ShipOutcome(ShipStatus.InvalidTransition, Detail: $"An order in status {Order.Progress.Status} cannot {OrderTrigger.CorrectShipment}.");
        }

        var (id, now) = Stamp();
        // A correction of an upload that never reached WeChat is still its first upload, not the re-upload.
        var reupload = current.Upload is { State: ShippingUploadState.Uploaded };
        var corrected = current with
        {
            LogisticsType = command.LogisticsType,
            Parcels = parcels,
            CorrectedAt = now,
            Upload = QueueUpload(now, reupload),
        };
        var next = moved with
        {
            Fulfilment = corrected,
            Shipment = Order.Shipment! with { Carrier = carrier, TrackingNo = trackingNo },
        };
        await CommitAsync(WithEvent(next, new OrderShipmentCorrected(id, OrderNo, now, command.LogisticsType.ToString(), current.Parcels, parcels)));
        ScheduleUpload(TimeSpan.Zero);
        return new ShipOutcome(ShipStatus.Ok, View());
    }

    public async Task<ShipOutcome> RetryShippingUploadAsync(OrderCaller caller)
    {
        if (!IsReal || !caller.IsAdmin)
        {
            return new ShipOutcome(ShipStatus.NotFound);
        }

        if (Order.Fulfilment is not { Upload: { State: ShippingUploadState.Failed } failed } fulfilment)
        {
            return new ShipOutcome(ShipStatus.NothingToRetry, Detail: "The order has no failed shipping upload.");
        }

        var now = clock.GetUtcNow();
        await CommitAsync(Order with
        {
            Fulfilment = fulfilment with { Upload = failed with { State = ShippingUploadState.Pending, Attempts = 0, NextAttemptAt = now } },
            UpdatedAt = now,
        });
        ScheduleUpload(TimeSpan.Zero);
        return new ShipOutcome(ShipStatus.Ok, View());
    }

    /// <summary>
    /// Ships what is left of the order (all of it: Shipped) or part of it (<see cref="ShipCommand.Partial"/>: still
    /// Paid): the transition, the parcels (earlier parts' and these) and the queued upload of them all in one write.
    /// </summary>
    private async Task<ShipOutcome> ShipAsync(OrderCaller caller, ShipCommand command)
    {
        if (!IsReal || !caller.IsAdmin)
        {
            return new ShipOutcome(ShipStatus.NotFound);
        }

        var earlier = Order.Fulfilment is { Partial: true } part ? part.Parcels : [];
        var (parcels, problem) = ParcelPlan.For(command, Order.Lines, earlier, RefundedBeforeShipping(), RefundOnlyAwaitingDecision());
        // Completing with no new parcel (refunds took the rest) names the last parcel sent.
        var first = parcels?.FirstOrDefault() ?? earlier.LastOrDefault();
        var carrier = first?.Courier ?? command.LogisticsType.ToString();
        var trackingNo = first?.TrackingNo ?? "";
        var trigger = command.Partial ? OrderTrigger.ShipPart : OrderTrigger.Ship;
        if (Move(trigger, caller.Actor, $"{carrier} {trackingNo}".Trim()) is not { } next)
        {
            return new ShipOutcome(ShipStatus.InvalidTransition, Detail: $"An order in status {Order.Progress.Status} cannot {trigger}.");
        }

        if (parcels is null)
        {
            return new ShipOutcome(ShipStatus.LinesMismatch, Detail: problem);
        }

        var (id, at) = Stamp();
        // Every upload of a split delivery carries all parcels so far (a later one replaces the earlier at WeChat).
        var fulfilment = new OrderFulfilment(command.LogisticsType, [.. earlier, .. parcels], Order.Fulfilment?.ShippedAt ?? at, null,
            QueueUpload(at, reupload: false), ReuploadUsed: false, Partial: command.Partial);
        if (command.Partial)
        {
            await CommitAsync(WithEvent(next with { Fulfilment = fulfilment }, new OrderPartlyShipped(id, OrderNo, at, parcels)));
            if (fulfilment.Upload is not null)
            {
                ScheduleUpload(TimeSpan.Zero);
            }

            return new ShipOutcome(ShipStatus.Ok, View());
        }

        await CommitAsync(WithEvent(next with { Shipment = new Shipment(carrier, trackingNo, at), Fulfilment = fulfilment },
            new OrderShipped(id, OrderNo, at, carrier, trackingNo)));
        ScheduleDueWork(clock.GetUtcNow() + _options.AutoCompleteAfterShipping);
        if (fulfilment.Upload is not null)
        {
            ScheduleUpload(TimeSpan.Zero);
        }

        return new ShipOutcome(ShipStatus.Ok, View());
    }

    /// <summary>
    /// Units per SKU that approved refund-only requests took back before the order shipped (their refund asked for
    /// before the shipment, as <see cref="Unshipped"/> decides their restock): they stay in the warehouse. Requests
    /// still waiting for the merchant hold nothing here; approving one after shipping refunds goods that travelled.
    /// </summary>
    private Dictionary<string, long> RefundedBeforeShipping()
    {
        var shippedAt = Order.Shipment?.ShippedAt;
        return Order.AfterSales
            .Where(c => c.Opened.Kind == AfterSalesKind.RefundOnly && c.Status is AfterSalesStatus.Refunding or AfterSalesStatus.Refunded)
            .Where(c => shippedAt is not { } at || c.RefundNos.Any(n => Order.Refunds.Find(r => r.OutRefundNo == n) is { } r && r.RequestedAt < at))
            .SelectMany(c => c.Opened.Lines)
            .Where(l => l.LineNo >= 1 && l.LineNo <= Order.Lines.Count)
            .GroupBy(l => Order.Lines[l.LineNo - 1].Sku)
            .ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Quantity));
    }

    /// <summary>Units per SKU under refund-only requests the merchant has not decided yet.</summary>
    private Dictionary<string, long> RefundOnlyAwaitingDecision() => Order.AfterSales
        .Where(c => c.Opened.Kind == AfterSalesKind.RefundOnly && c.Status == AfterSalesStatus.Requested)
        .SelectMany(c => c.Opened.Lines)
        .Where(l => l.LineNo >= 1 && l.LineNo <= Order.Lines.Count)
        .GroupBy(l => Order.Lines[l.LineNo - 1].Sku)
        .ToDictionary(g => g.Key, g => g.Sum(l => (long)l.Quantity));

    /// <summary>The order's lines less the units refunded before shipping: what WeChat's item_desc describes for goods without parcels.</summary>
    private List<OrderLine> LinesToSend()
    {
        var refunded = RefundedBeforeShipping();
        return [.. Order.Lines.Select(l =>
            {
                var back = (int)Math.Min(l.Quantity, refunded.GetValueOrDefault(l.Sku));
                refunded[l.Sku] = refunded.GetValueOrDefault(l.Sku) - back;
                return l with { Quantity = l.Quantity - back };
            })
            .Where(l => l.Quantity > 0)];
    }

    /// <summary>
    /// A pending upload when WeChat must hear of this shipment: the mini program and merchant are configured, the
    /// buyer is a mini-program user (openid) and paid through WeChat Pay. Otherwise there is nothing to upload.
    /// </summary>
    private ShippingUpload? QueueUpload(DateTimeOffset now, bool reupload) =>
        ServiceProvider.GetService<ShippingInfoUploader>() is not null
        && ShippingInfoRequests.OpenIdOf(Order.UserId) is not null
        && Order.Payments.Any(p => !p.NeedsRefund)
            ? new ShippingUpload(ShippingUploadState.Pending, 0, now, now, now, null, null, null, reupload)
            : null;

    private static DateTimeOffset? ShippingUploadDue(OrderState order) =>
        order is { Phase: OrderPhase.Active, Fulfilment.Upload: { State: ShippingUploadState.Pending, NextAttemptAt: { } at } } ? at : null;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private void ScheduleUpload(TimeSpan due)
    {
        _uploadTimer?.Dispose();
        _uploadTimer = this.RegisterGrainTimer(_ => UploadShippingInfoIfDueAsync(), due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Sends the pending upload when its time has come; records the result (one write) and when to try next.</summary>
    private async Task UploadShippingInfoIfDueAsync()
    {
        if (ShippingUploadDue(Order) is not { } due || Order.Fulfilment is not { Upload: { } upload } fulfilment)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (due - now > TimeSpan.FromMilliseconds(200))
        {
            ScheduleUpload(due - now);
            return;
        }

        var settings = FulfilmentSettings;
        var metrics = ServiceProvider.GetService<ShippingMetrics>();
        UploadAttempt attempt;
        if (ServiceProvider.GetService<ShippingInfoUploader>() is not { } uploader || ShippingInfoRequests.OpenIdOf(Order.UserId) is not { } openId)
        {
            attempt = new UploadAttempt(UploadResult.Permanent, "NOT_CONFIGURED", "The mini program (WeChatMiniProgram:AppId/AppSecret) or the merchant is not configured.");
        }
        else
        {
            var phone = protector.Unprotect(Order.Shipping!, OrderNo).Phone;
            attempt = await uploader.UploadAsync(ShippingInfoRequests.Build(uploader.MchId, OrderNo, openId, fulfilment, Order.Lines, phone, upload.UploadTime, LinesToSend()));
        }

        now = clock.GetUtcNow();
        var attempts = upload.Attempts + 1;
        var next = attempt.Result switch
        {
            UploadResult.Uploaded => upload with { State = ShippingUploadState.Uploaded, Attempts = attempts, NextAttemptAt = null, UploadedAt = now, ErrorCode = null, ErrorMessage = null },
            UploadResult.Transient when attempts < settings.UploadMaxAttempts =>
                upload with { Attempts = attempts, NextAttemptAt = now + settings.RetryDelayAfter(attempts), ErrorCode = attempt.ErrorCode, ErrorMessage = attempt.ErrorMessage },
            _ => upload with { State = ShippingUploadState.Failed, Attempts = attempts, NextAttemptAt = null, ErrorCode = attempt.ErrorCode, ErrorMessage = attempt.ErrorMessage },
        };
        metrics?.UploadAttempted(next.State == ShippingUploadState.Pending ? "retry" : next.State == ShippingUploadState.Uploaded ? "uploaded" : "failed");
        if (next.State == ShippingUploadState.Failed)
        {
            logger.LogError("Order {OrderNo}: shipping information not uploaded to WeChat after {Attempts} attempts: {ErrorCode} {ErrorMessage}",
                OrderNo, attempts, next.ErrorCode, next.ErrorMessage);
        }

        await CommitAsync(Order with
        {
            Fulfilment = fulfilment with { Upload = next, ReuploadUsed = fulfilment.ReuploadUsed || (next.State == ShippingUploadState.Uploaded && upload.IsReupload) },
        });
        if (next.NextAttemptAt is { } retryAt)
        {
            ScheduleUpload(retryAt - now);
        }
    }
}
