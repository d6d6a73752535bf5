using System.Collections.Immutable;
using Shop.Grains.Interfaces.Audit;
using Shop.Grains.Inventory;
using Shop.Grains.Orders;

namespace Shop.Grains.Audit;

/// <summary>
/// The conservation check itself, over stored data only (a live grain's memory is not evidence). Each SKU's log is
/// replayed from its first batch, not from a snapshot, so that every confirmed unit can be matched to an order.
/// Work a request is doing right now (an order that reserved but is not stored yet, a payment confirming its stock
/// before the order row says Sold, a cancel releasing) is counted as in flight, not as a discrepancy; a reservation
/// with no order after its expiry is one.
/// </summary>
public static class StockAudit
{
    private const int MaxOrdersListed = 50;
    private const string RetrySuffix = "-paid";

    public static StockAuditReport Run(IReadOnlyList<AuditedSku> skus, IReadOnlyList<AuditedOrder> orders, DateTimeOffset now)
    {
        var byNumber = orders.ToDictionary(o => o.OrderNo, StringComparer.Ordinal);
        var holdsBySku = orders.SelectMany(o => o.Holds.Select(h => (Order: o, Hold: h)))
            .ToLookup(x => x.Hold.ProductId, StringComparer.Ordinal);
        var discrepancies = new List<StockDiscrepancy>();
        var inFlight = 0;
        var skuIds = skus.Select(s => s.Sku).Concat(holdsBySku.Select(g => g.Key)).Distinct(StringComparer.Ordinal);
        var stored = skus.ToDictionary(s => s.Sku, StringComparer.Ordinal);
        foreach (var sku in skuIds.Order(StringComparer.Ordinal))
        {
            var found = stored.GetValueOrDefault(sku) ?? new AuditedSku(sku, 0, []);
            var result = CheckSku(found, holdsBySku[sku].ToList(), byNumber, now);
            inFlight += result.InFlightReservations;
            discrepancies.AddRange(result.Discrepancies);
        }

        return new StockAuditReport(stored.Count, orders.Count(o => o.Holds.Count > 0), now, inFlight, [.. discrepancies]);
    }

    private static (int InFlightReservations, List<StockDiscrepancy> Discrepancies) CheckSku(
        AuditedSku sku, List<(AuditedOrder Order, StockHold Hold)> holds, Dictionary<string, AuditedOrder> orders, DateTimeOffset now)
    {
        var log = Replay(sku.Log);
        var problems = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Flag(string kind, string orderNo) => (problems.TryGetValue(kind, out var list) ? list : problems[kind] = []).Add(orderNo);

        long inFlightUnits = 0;
        var inFlight = 0;
        foreach (var (id, (quantity, expiresAt)) in log.Live)
        {
            var order = OrderOf(id, orders);
            var held = order?.Holds.Any(h => h.ProductId == sku.Sku && h.ReservationId == id && h.Quantity == quantity) ?? false;
            var pending = order is null
                ? expiresAt > now
                : order.Stock is StockPhase.Reserving or StockPhase.Releasing || (order.Stock == StockPhase.Held && !held);
            if (pending)
            {
                inFlight++;
                inFlightUnits += quantity;
            }
            else if (order is null || order.Stock != StockPhase.Held)
            {
                Flag(StockDiscrepancyKinds.ReservationWithoutOrder, order?.OrderNo ?? id);
            }
        }

        foreach (var (id, quantity) in log.Confirmed)
        {
            var order = OrderOf(id, orders);
            if (order?.Stock == StockPhase.Held)
            {
                // Paid a moment ago: inventory confirms before the order row says Sold.
                inFlightUnits += quantity;
            }
            else if (order?.Stock != StockPhase.Sold || !order.Holds.Any(h => h.ProductId == sku.Sku && h.ReservationId == id && h.Quantity == quantity))
            {
                Flag(StockDiscrepancyKinds.SoldWithoutOrder, order?.OrderNo ?? id);
            }
        }

        long reservedForUnpaid = 0, soldToPaid = 0;
        foreach (var (order, hold) in holds)
        {
            if (order.Stock == StockPhase.Held)
            {
                reservedForUnpaid += hold.Quantity;
                var live = log.Live.TryGetValue(hold.ReservationId, out var reservation) && reservation.Quantity == hold.Quantity;
                if (!live && !log.Confirmed.ContainsKey(hold.ReservationId) && !log.Live.ContainsKey(hold.ReservationId + RetrySuffix))
                {
                    Flag(StockDiscrepancyKinds.OrderWithoutReservation, order.OrderNo);
                }
            }
            else if (order.Stock == StockPhase.Sold)
            {
                soldToPaid += hold.Quantity;
                if (log.Confirmed.GetValueOrDefault(hold.ReservationId) != hold.Quantity)
                {
                    Flag(StockDiscrepancyKinds.OrderNotSold, order.OrderNo);
                }
            }
        }

        foreach (var id in log.Inconsistent)
        {
            Flag(StockDiscrepancyKinds.LogInconsistent, id);
        }

        var allotted = log.Campaigns.Allotted;
        var figures = new StockAuditFigures(sku.Received, log.Total, log.Total - log.Reserved - log.Sold - allotted, log.Reserved, log.Sold,
            reservedForUnpaid, soldToPaid, inFlightUnits, allotted);
        var found = new List<StockDiscrepancy>();
        if (sku.Received != log.Total)
        {
            found.Add(Discrepancy(sku.Sku, StockDiscrepancyKinds.ReceivedMismatch, figures, [],
                $"received {sku.Received} but available {figures.Available} + allotted {allotted} + reserved {log.Reserved} + sold {log.Sold} = {log.Total}"));
        }

        if (log.Reserved + log.Sold + allotted > sku.Received)
        {
            found.Add(Discrepancy(sku.Sku, StockDiscrepancyKinds.Oversold, figures, [],
                $"reserved {log.Reserved} + sold {log.Sold} + allotted {allotted} exceed the {sku.Received} received by {log.Reserved + log.Sold + allotted - sku.Received}"));
        }

        found.AddRange(log.Campaigns.Overdrawn().Select(c => Discrepancy(sku.Sku, StockDiscrepancyKinds.AllotmentExceeded, figures, [],
            $"campaign {c} reserved and sold more than its allotment")));

        found.AddRange(problems.Select(p => Discrepancy(sku.Sku, p.Key, figures, p.Value, Describe(p.Key, p.Value.Count))));
        return (inFlight, found);
    }

    private static AuditedOrder? OrderOf(string reservationId, Dictionary<string, AuditedOrder> orders)
    {
        var orderNo = reservationId.EndsWith(RetrySuffix, StringComparison.Ordinal) ? reservationId[..^RetrySuffix.Length] : reservationId;
        return orders.GetValueOrDefault(orderNo);
    }

    private static StockDiscrepancy Discrepancy(string sku, string kind, StockAuditFigures figures, List<string> orders, string detail)
    {
        var distinct = orders.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new StockDiscrepancy(sku, kind, detail, figures, [.. distinct.Take(MaxOrdersListed)], distinct.Count);
    }

    private static string Describe(string kind, int count) => kind switch
    {
        StockDiscrepancyKinds.ReservationWithoutOrder => $"{count} live reservations belong to no unpaid order (gone, finished, or never stored and expired)",
        StockDiscrepancyKinds.OrderWithoutReservation => $"{count} unpaid orders hold no matching reservation",
        StockDiscrepancyKinds.SoldWithoutOrder => $"{count} confirmed reservations belong to no paid order",
        StockDiscrepancyKinds.OrderNotSold => $"{count} paid orders' units were never confirmed sold",
        _ => $"{count} reservations are stored inconsistently in the stock log",
    };

    private sealed class Ledger
    {
        public Dictionary<string, (int Quantity, DateTimeOffset ExpiresAt)> Live { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Confirmed { get; } = new(StringComparer.Ordinal);

        public List<string> Inconsistent { get; } = [];

        public long Total { get; set; }

        public long Reserved { get; set; }

        public long Sold { get; set; }

        public CampaignReplay Campaigns { get; } = new();
    }

    /// <summary>Like the grain's ledger, but a contradiction is recorded and skipped instead of stopping the replay.</summary>
    private static Ledger Replay(IReadOnlyList<InventoryBatch> batches)
    {
        var ledger = new Ledger();
        foreach (var change in batches.SelectMany(b => b.Events))
        {
            switch (change)
            {
                case StockReserved reserved when ledger.Live.ContainsKey(reserved.OrderId) || ledger.Confirmed.ContainsKey(reserved.OrderId):
                    ledger.Inconsistent.Add(reserved.OrderId);
                    break;
                case StockReserved reserved:
                    ledger.Live[reserved.OrderId] = (reserved.Quantity, reserved.ExpiresAt);
                    ledger.Reserved += reserved.Quantity;
                    ledger.Campaigns.Reserved(reserved);
                    break;
                case ReservationConfirmed or ReservationReleased:
                    var id = change is ReservationConfirmed c ? c.OrderId : ((ReservationReleased)change).OrderId;
                    if (!ledger.Live.Remove(id, out var live))
                    {
                        ledger.Inconsistent.Add(id);
                        break;
                    }

                    ledger.Reserved -= live.Quantity;
                    ledger.Campaigns.Finished(id, live.Quantity, sold: change is ReservationConfirmed);
                    if (change is ReservationConfirmed)
                    {
                        ledger.Confirmed[id] = live.Quantity;
                        ledger.Sold += live.Quantity;
                    }

                    break;
                case StockAdjusted adjusted:
                    ledger.Total += adjusted.Delta;
                    break;
                case CampaignAllotted or CampaignEnded:
                    ledger.Campaigns.Apply(change);
                    break;
            }
        }

        return ledger;
    }
}
