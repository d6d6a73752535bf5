using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

/// <summary>
/// Creating an order: prices from the catalog, every line reserved at once, then ONE insert of the order, already
/// PendingPayment and carrying its OrderCreated event. Nothing is written before the reservations: if this activation
/// dies midway, the reservations lapse by themselves (they carry the order's expiry), and a retry under the same
/// Idempotency-Key reuses the number and the reservation ids, so it picks them up instead of reserving twice.
/// </summary>
public sealed partial class OrderGrain
{
    /// <summary>The answer to a create this activation refused; a duplicate of that create gets it again.</summary>
    private OrderOutcome? _refused;

    public async Task<OrderOutcome> CreateAsync(CreateOrderCommand command)
    {
        if (Order.Exists)
        {
            if (Order.UserId != command.UserId)
            {
                // Numbers are unique and tied to one user's Idempotency-Key: never show someone else's order.
                throw new InvalidOperationException($"Order {OrderNo} belongs to another user.");
            }

            // A duplicate (same idempotency key, same number) or a retry: the first create's outcome.
            return Order.Phase switch
            {
                OrderPhase.Reserving => await FinishReservingAsync(),
                OrderPhase.Rejected => new OrderOutcome(Order.RejectedAs ?? OrderOutcomeStatus.OutOfStock, Products: Order.Rejection),
                _ => OrderOutcome.Ok(View()),
            };
        }

        if (_refused is { } refused)
        {
            return refused;
        }

        if (!OrderNumber.IsValid(OrderNo))
        {
            throw new ArgumentException($"'{OrderNo}' is not an order number.");
        }

        var items = command.Items.GroupBy(i => i.ProductId, StringComparer.Ordinal)
            .Select(g => new OrderItem(g.Key, g.Sum(i => i.Quantity), g.First().CampaignId)).ToList();
        // One product-grain call per line: the SKU id names its product (OrderSkus).
        var reading = OrderSkus.LookUpAsync(GrainFactory, items);
        var campaignsReading = CampaignTermsAsync(items);
        var admission = AdmitUnpaidAsync(command.UserId, clock.GetUtcNow() + _options.PaymentTimeout);
        var skus = await reading;
        var campaigns = await campaignsReading;
        if (!await admission)
        {
            return UnpaidOrderLimit();
        }

        var unavailable = items.Where((item, k) => skus[k] is not { OnSale: true })
            .Select(i => new OrderProductProblem(i.ProductId, i.Quantity, 0)).ToList();
        if (unavailable.Count > 0)
        {
            ReleaseUnpaid(command.UserId);
            return new OrderOutcome(OrderOutcomeStatus.ProductUnavailable, Products: unavailable,
                Detail: $"Not available: {string.Join(", ", unavailable.Select(u => u.ProductId))}.");
        }

        var now = clock.GetUtcNow();
        if (RefuseCampaignLines(items, campaigns, now) is { } notNow)
        {
            ReleaseUnpaid(command.UserId);
            return notNow;
        }

        var lines = items.Select((item, k) => OrderSkus.Line(skus[k]!, item.Quantity) with
        {
            UnitPriceFen = PriceOf(item, skus[k]!.PriceFen, campaigns),
            CampaignId = item.CampaignId,
        }).ToList();
        // From the silo's in-memory templates: no call and no read per order unless a template is new to this silo.
        var shipping = await Shipping.OrderShipping.QuoteAsync(ServiceProvider, lines, skus!, command.Shipping);
        if (!shipping.Delivers)
        {
            ReleaseUnpaid(command.UserId);
            return Shipping.OrderShipping.NotDelivered(shipping);
        }

        var expiresAt = now + PaymentTimeoutOf(campaigns);
        var (quota, overLimit) = await TakeQuotaAsync(command.UserId, items, campaigns, expiresAt + _options.ReservationGrace);
        if (overLimit is not null)
        {
            ReleaseUnpaid(command.UserId);
            return overLimit;
        }

        state.State = new OrderState
        {
            OrderNo = OrderNo,
            UserId = command.UserId,
            Phase = OrderPhase.Reserving,
            Lines = [.. lines],
            Holds = [.. lines.Select(l => new StockHold(l.Sku, l.Quantity, OrderNo, l.CampaignId))],
            Stock = StockPhase.Reserving,
            TotalFen = shipping.TotalFen,
            ShippingFeeFen = shipping.ShippingFeeFen,
            Shipping = protector.Protect(command.Shipping, OrderNo),
            ProtectedRemark = command.Remark is { } remark ? protector.ProtectRemark(remark, OrderNo) : null,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            UpdatedAt = now,
            QuotaCampaigns = quota,
        };
        logger.LogDebug("Order {OrderNo} for {UserId} ships to {Shipping}", OrderNo, command.UserId, command.Shipping);
        try
        {
            return await FinishReservingAsync();
        }
        catch
        {
            // Not known to be stored: memory must not claim an order exists (CommitAsync also lets this activation go,
            // so a retry reads the row if the insert did commit, and otherwise starts over and finds its reservations).
            if (!state.RecordExists)
            {
                state.State = new OrderState();
            }

            throw;
        }
    }

    /// <summary>
    /// Reserves every line (all at once, idempotent per reservation id); all or nothing. Also finishes an order that an
    /// earlier version stored as Reserving before it reserved.
    /// </summary>
    private async Task<OrderOutcome> FinishReservingAsync()
    {
        var reserveUntil = Order.ExpiresAt + _options.ReservationGrace;
        // Through the silo's coalescer: on a hot SKU, the orders being created at the same moment share one grain call.
        var results = await Task.WhenAll(Order.Holds.Select(h => reservations.ReserveAsync(h.ProductId, ReservationOf(h, reserveUntil))));
        var shortages = Order.Holds.Zip(results)
            .Where(p => p.Second.Status is not (ReserveStatus.Reserved or ReserveStatus.AlreadyReserved))
            .Select(p => new OrderProductProblem(p.First.ProductId, p.First.Quantity, p.Second.Available))
            .ToList();

        if (shortages.Count == 0 && clock.GetUtcNow() < Order.ExpiresAt)
        {
            var (id, at) = Stamp();
            var created = new OrderCreated(id, OrderNo, at, Order.UserId, Order.TotalFen,
                [.. Order.Lines.Select(OrderSkus.EventLine)], Order.ShippingFeeFen);
            await CommitAsync(WithEvent(Order with { Phase = OrderPhase.Active, Stock = StockPhase.Held, UpdatedAt = at }, created));
            ScheduleDueWork(Order.ExpiresAt);
            return OrderOutcome.Ok(View());
        }

        // Undo: give back what was taken. Nothing is stored for a new order; this activation remembers the answer.
        await Task.WhenAll(Order.Holds.Select(h => Inventory(h.ProductId).ReleaseAsync(h.ReservationId)));
        await ReturnQuotaAsync();
        var refused = RefusedOutcome(Order.Holds, results, shortages);
        ReleaseUnpaid(Order.UserId);
        if (state.RecordExists)
        {
            await CommitAsync(Order with
            {
                Phase = OrderPhase.Rejected,
                Stock = StockPhase.Released,
                RejectedAs = refused.Status,
                Rejection = [.. shortages],
                UpdatedAt = clock.GetUtcNow(),
            });
        }
        else
        {
            state.State = new OrderState();
            _refused = refused;
        }

        return refused;
    }
}
