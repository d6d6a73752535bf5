using Microsoft.Extensions.Logging;
using Shop.Grains.Interfaces.Catalog;
using Shop.Grains.Interfaces.Inventory;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Orders;

public sealed partial class OrderGrain
{
    public async Task<OrderOutcome> CreateAsync(CreateOrderCommand command)
    {
        if (Order.Exists)
        {
            // A concurrent duplicate (same idempotency key, same number) or a retry: the first create's outcome.
            return Order.Phase switch
            {
                OrderPhase.Reserving => await FinishReservingAsync(),
                OrderPhase.Rejected => new OrderOutcome(Order.RejectedAs ?? OrderOutcomeStatus.OutOfStock, Products: Order.Rejection),
                _ => OrderOutcome.Ok(View()),
            };
        }

        if (!OrderNumber.IsValid(OrderNo))
        {
            throw new ArgumentException($"'{OrderNo}' is not an order number.");
        }

        var items = command.Items.GroupBy(i => i.ProductId, StringComparer.Ordinal)
            .Select(g => new OrderItem(g.Key, g.Sum(i => i.Quantity))).ToList();
        var products = await Task.WhenAll(items.Select(i => GrainFactory.GetGrain<IProductGrain>(i.ProductId).GetAsync()));
        var unavailable = items.Where((item, k) => products[k] is not { IsVisible: true })
            .Select(i => new OrderProductProblem(i.ProductId, i.Quantity, 0)).ToList();
        if (unavailable.Count > 0)
        {
            return new OrderOutcome(OrderOutcomeStatus.ProductUnavailable, Products: unavailable,
                Detail: $"Not available: {string.Join(", ", unavailable.Select(u => u.ProductId))}.");
        }

        var now = clock.GetUtcNow();
        var lines = items.Select((item, k) => new OrderLine(item.ProductId, products[k]!.Content.Name, products[k]!.Content.PriceFen, item.Quantity)).ToList();

        // The intent is stored before anything is reserved: if this activation dies midway, the next one (woken by
        // the timeout reminder at the latest) finishes or undoes the reservations, and they expire on their own anyway.
        state.State = new OrderState
        {
            OrderNo = OrderNo,
            UserId = command.UserId,
            Phase = OrderPhase.Reserving,
            Lines = [.. lines],
            Holds = [.. lines.Select(l => new StockHold(l.ProductId, l.Quantity, OrderNo))],
            Stock = StockPhase.Reserving,
            TotalFen = lines.Sum(l => l.SubtotalFen),
            Shipping = protector.Protect(command.Shipping, OrderNo),
            Remark = command.Remark,
            CreatedAt = now,
            ExpiresAt = now + _options.PaymentTimeout,
            UpdatedAt = now,
        };
        await state.WriteStateAsync();
        await EnsurePaymentReminderAsync();
        logger.LogInformation("Order {OrderNo} for {UserId} ships to {Shipping}", OrderNo, command.UserId, command.Shipping);
        return await FinishReservingAsync();
    }

    /// <summary>Reserves every line (all at once, idempotent per reservation id); all or nothing.</summary>
    private async Task<OrderOutcome> FinishReservingAsync()
    {
        var reserveUntil = Order.ExpiresAt + _options.ReservationGrace;
        var results = await Task.WhenAll(Order.Holds.Select(h => Inventory(h.ProductId).ReserveAsync(h.ReservationId, h.Quantity, reserveUntil)));
        var shortages = Order.Holds.Zip(results)
            .Where(p => p.Second.Status is not (ReserveStatus.Reserved or ReserveStatus.AlreadyReserved))
            .Select(p => new OrderProductProblem(p.First.ProductId, p.First.Quantity, p.Second.Available))
            .ToList();

        if (shortages.Count == 0 && clock.GetUtcNow() < Order.ExpiresAt)
        {
            var (id, at) = Stamp();
            var created = new OrderCreated(id, OrderNo, at, Order.UserId, Order.TotalFen,
                [.. Order.Lines.Select(l => new OrderEventLine(l.ProductId, l.Quantity, l.UnitPriceFen))]);
            await CommitAsync(WithEvent(Order with { Phase = OrderPhase.Active, Stock = StockPhase.Held, UpdatedAt = at }, created));
            ScheduleDueWork(Order.ExpiresAt - clock.GetUtcNow());
            return OrderOutcome.Ok(View());
        }

        // Undo: give back what was taken, remember why (a duplicate create gets the same answer), stop the reminder.
        await Task.WhenAll(Order.Holds.Select(h => Inventory(h.ProductId).ReleaseAsync(h.ReservationId)));
        await CommitAsync(Order with
        {
            Phase = OrderPhase.Rejected,
            Stock = StockPhase.Released,
            RejectedAs = OrderOutcomeStatus.OutOfStock,
            Rejection = [.. shortages],
            UpdatedAt = clock.GetUtcNow(),
        });
        await StopReminderAsync(PaymentReminder);
        return new OrderOutcome(OrderOutcomeStatus.OutOfStock, Products: shortages,
            Detail: $"Out of stock: {string.Join(", ", shortages.Select(s => $"{s.ProductId} ({s.Available} available)"))}.");
    }
}
