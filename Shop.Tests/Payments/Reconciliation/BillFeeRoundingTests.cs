using Shop.WeChatPay.Simulator.Bills;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>
/// The simulator's fee (手续费) per payment: the rate times the amount, rounded half up to the fen (四舍五入，精确到分),
/// so a fee under half a fen is not charged; the bill's 费率 column shows the rate as WeChat Pay does.
/// </summary>
public sealed class BillFeeRoundingTests
{
    [Theory]
    [InlineData(3_998, 24)] // 23.988
    [InlineData(777, 5)] // 4.662
    [InlineData(250, 2)] // 1.5: half up
    [InlineData(83, 0)] // 0.498: not charged
    [InlineData(84, 1)] // 0.504
    [InlineData(1, 0)]
    [InlineData(100_000_000, 600_000)]
    public void The_standard_rate_charges_0_6_percent_rounded_half_up_to_the_fen(long totalFen, long feeFen)
    {
        var options = new BillOptions();

        Assert.Equal((feeFen, "0.60%"), (options.FeeFen(totalFen), options.RateText));
    }

    [Fact]
    public void Another_rate_is_applied_and_shown_as_configured()
    {
        var options = new BillOptions { FeeRate = 0.0038m };

        Assert.Equal((15L, 2L, "0.38%"), (options.FeeFen(3_998), options.FeeFen(500), options.RateText));
    }
}
