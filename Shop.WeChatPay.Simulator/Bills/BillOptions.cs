using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Shop.WeChatPay.Simulator.Bills;

/// <summary>How the simulator makes bills (section <c>Simulator:Bills</c>).</summary>
public sealed record BillOptions
{
    public const string Section = "Bills";

    /// <summary>
    /// The merchant's fee rate (费率). 0.006 is WeChat Pay's standard 0.60% for ordinary goods; some industries have 0.38%,
    /// 0.2% or 1%. The fee is charged per payment, rounded half up to the fen (四舍五入，精确到分: a fee under half a fen
    /// is not charged).
    /// </summary>
    public decimal FeeRate { get; init; } = 0.006m;

    /// <summary>
    /// Beijing time of the next day from which a day's bills exist. WeChat Pay makes yesterday's bills after 10:00 (the
    /// trade bill from about 08:00 on many days, the fund-flow bill after 10:00); before that it answers STATEMENT_CREATING.
    /// </summary>
    public TimeSpan ReadyAt { get; init; } = TimeSpan.FromHours(10);

    public long FeeFen(long totalFen) => (long)Math.Round(totalFen * FeeRate, MidpointRounding.AwayFromZero);

    /// <summary>As the bill's 费率 column shows it: "0.60%".</summary>
    public string RateText => (FeeRate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}

/// <summary>
/// When a day's bills are made: at <see cref="BillOptions.ReadyAt"/> Beijing time of the next day, or at once for a day
/// a test control made early (so a test need not wait until tomorrow 10:00 for today's bills); never for a day a test
/// control holds back (WeChat Pay late making a past day's bills) until it is made.
/// </summary>
internal sealed class BillSchedule(IOptions<BillOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly ConcurrentDictionary<DateOnly, DateTimeOffset> _madeEarly = new();
    private readonly ConcurrentDictionary<DateOnly, bool> _held = new();

    public DateTimeOffset ReadyAt(DateOnly day) => new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), Beijing) + options.Value.ReadyAt;

    public bool IsMade(DateOnly day) => !_held.ContainsKey(day) && (_madeEarly.ContainsKey(day) || time.GetUtcNow() >= ReadyAt(day));

    public void MakeNow(DateOnly day)
    {
        _madeEarly.TryAdd(day, time.GetUtcNow());
        _held.TryRemove(day, out _);
    }

    public void Hold(DateOnly day)
    {
        _madeEarly.TryRemove(day, out _);
        _held[day] = true;
    }
}
