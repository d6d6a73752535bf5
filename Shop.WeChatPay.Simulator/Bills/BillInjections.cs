using Shop.WeChatPay.Simulator.Payments;

namespace Shop.WeChatPay.Simulator.Bills;

/// <summary>A payment that appears in the bill of its day although the merchant never opened it (no order, no notification).</summary>
internal sealed record InjectedPayment(string MchId, string OutTradeNo, string TransactionId, long Total, DateTimeOffset SuccessTime);

/// <summary>
/// Differences a test control puts into the bills: payments nobody heard of, bill amounts that differ from what was
/// paid, trade-bill fee totals that disagree with the rows, and downloads whose bytes no longer match the announced hash. (Manual refunds are real refunds in the ledger.)
/// </summary>
internal sealed class BillInjections
{
    private readonly Lock _gate = new();
    private readonly List<InjectedPayment> _payments = [];
    private readonly Dictionary<OrderKey, long> _amounts = [];
    private readonly Dictionary<(string MchId, DateOnly Day), long> _feeTotalDeltas = [];
    private int _tamper;

    public void AddPayment(InjectedPayment payment)
    {
        lock (_gate)
        {
            _payments.Add(payment);
        }
    }

    public void ChangeAmount(OrderKey order, long total)
    {
        lock (_gate)
        {
            _amounts[order] = total;
        }
    }

    public void ChangeFeeTotal(string mchId, DateOnly day, long deltaFen)
    {
        lock (_gate)
        {
            _feeTotalDeltas[(mchId, day)] = deltaFen;
        }
    }

    /// <summary>What the trade bill's 手续费总金额 of the day states beyond the sum of its rows' fees.</summary>
    public long FeeTotalDelta(string mchId, DateOnly day)
    {
        lock (_gate)
        {
            return _feeTotalDeltas.GetValueOrDefault((mchId, day));
        }
    }

    public void TamperNext(int count) => Interlocked.Exchange(ref _tamper, count);

    public bool TakeTamper()
    {
        int left;
        do
        {
            left = Volatile.Read(ref _tamper);
            if (left <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _tamper, left - 1, left) != left);

        return true;
    }

    public IReadOnlyList<InjectedPayment> Payments(string mchId)
    {
        lock (_gate)
        {
            return _payments.Where(p => p.MchId == mchId).ToList();
        }
    }

    public long? Amount(OrderKey order)
    {
        lock (_gate)
        {
            return _amounts.TryGetValue(order, out var total) ? total : null;
        }
    }
}
