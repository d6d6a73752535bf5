using Shop.WeChatPay.Simulator.Refunds;

namespace Shop.WeChatPay.Simulator.Payments;

/// <summary>
/// All orders and refunds, behind one lock: every change that touches both (a refund moves its order to REFUND and
/// counts against the order's total) happens atomically. Records are immutable and replaced on change.
/// </summary>
internal sealed class SimulatorLedger
{
    private readonly Dictionary<OrderKey, SimOrder> _orders = [];
    private readonly Dictionary<string, OrderKey> _byPrepayId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string MchId, string TransactionId), OrderKey> _byTransactionId = [];
    private readonly Dictionary<RefundKey, SimRefund> _refunds = [];

    public Lock Gate { get; } = new();

    /// <summary>Every order and refund (read under <see cref="Gate"/>): what the daily bills are built from.</summary>
    public IEnumerable<SimOrder> Orders => _orders.Values;

    public IEnumerable<SimRefund> Refunds => _refunds.Values;

    public SimOrder? Order(OrderKey key) => _orders.GetValueOrDefault(key);

    public SimOrder? OrderByPrepayId(string prepayId) =>
        _byPrepayId.TryGetValue(prepayId, out var key) ? _orders.GetValueOrDefault(key) : null;

    public SimOrder? OrderByTransactionId(string mchId, string transactionId) =>
        _byTransactionId.TryGetValue((mchId, transactionId), out var key) ? _orders.GetValueOrDefault(key) : null;

    /// <summary>Orders with this number under any merchant (test controls may leave out the mchid).</summary>
    public IReadOnlyList<SimOrder> OrdersNumbered(string outTradeNo) =>
        _orders.Values.Where(o => o.OutTradeNo == outTradeNo).ToList();

    public void Put(SimOrder order)
    {
        _orders[order.Key] = order;
        _byPrepayId[order.PrepayId] = order.Key;
        if (order.TransactionId is { } transactionId)
        {
            _byTransactionId[(order.MchId, transactionId)] = order.Key;
        }
    }

    public SimRefund? Refund(RefundKey key) => _refunds.GetValueOrDefault(key);

    public IReadOnlyList<SimRefund> RefundsNumbered(string outRefundNo) =>
        _refunds.Values.Where(r => r.OutRefundNo == outRefundNo).ToList();

    public IEnumerable<SimRefund> RefundsOf(OrderKey order) =>
        _refunds.Values.Where(r => r.MchId == order.MchId && r.OutTradeNo == order.OutTradeNo);

    public void Put(SimRefund refund) => _refunds[refund.Key] = refund;

    public void Clear()
    {
        _orders.Clear();
        _byPrepayId.Clear();
        _byTransactionId.Clear();
        _refunds.Clear();
    }
}
