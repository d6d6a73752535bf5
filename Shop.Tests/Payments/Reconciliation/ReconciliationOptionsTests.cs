using Shop.Grains.Payments.Reconciliation;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>Which bill dates are due, and the look-back window the scheduler and the unreconciled-days gauge cover.</summary>
public sealed class ReconciliationOptionsTests
{
    [Theory]
    // 10:00 Beijing time is 02:00 UTC: from then yesterday's (Beijing) bills are due, before it the day before's.
    [InlineData("2026-12-06T01:59:59Z", "2026-12-04")]
    [InlineData("2026-12-06T02:00:00Z", "2026-12-05")]
    // 23:30 UTC is already 07:30 the next day in Beijing.
    [InlineData("2026-12-06T23:30:00Z", "2026-12-05")]
    public void The_due_bill_date_turns_at_ten_Beijing_time(string now, string due) =>
        Assert.Equal(DateOnly.Parse(due), new ReconciliationOptions().DueBillDate(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void The_look_back_window_holds_LookBackDays_dates_ending_with_the_due_one()
    {
        var due = new DateOnly(2026, 12, 5);
        Assert.Equal(new DateOnly(2026, 11, 5), new ReconciliationOptions().LookBackFrom(due));
        Assert.Equal(due, new ReconciliationOptions { LookBackDays = 1 }.LookBackFrom(due));
        Assert.Equal(due, new ReconciliationOptions { LookBackDays = 0 }.LookBackFrom(due));
    }
}
