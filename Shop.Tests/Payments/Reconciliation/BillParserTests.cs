using Shop.WeChatPay.Bills;

namespace Shop.Tests.Payments.Reconciliation;

/// <summary>The bill parser against files in WeChat Pay's format: header, backtick values, quoted commas, summary rows, yuan to fen exactly.</summary>
public sealed class BillParserTests
{
    // A day with a payment, a second payment whose product name holds a comma (so the field is quoted) and a refund
    // row, as the v3 ALL trade bill spells it: payment rows carry "`0" as their refund numbers, fees have 5 decimals.
    private const string Trade = """"
        交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注
        `2026-12-05 10:00:01,`wx2421b1c4370ec43b,`1900000109,`0,`,`4200000000202612050000000001,`2026120500000000000000000001,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`OTHERS,`CNY,`100.00,`0.00,`0,`0,`0.00,`0.00,`,`,`龙井 250 g,`,`0.60000,`0.60%,`100.00,`0.00,`
        `2026-12-05 11:30:00,`wx2421b1c4370ec43b,`1900000109,`0,`,`4200000000202612050000000002,`2026120500000000000000000002,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`OTHERS,`CNY,`9.90,`0.00,`0,`0,`0.00,`0.00,`,`,"`Tea, green ""Longjing""",`,`0.05940,`0.60%,`9.90,`0.00,`
        `2026-12-05 23:59:59,`wx2421b1c4370ec43b,`1900000109,`0,`,`4200000000202612050000000001,`2026120500000000000000000001,`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50300000000202612050000000001,`R2026120500000000000000000001-01,`12.34,`0.00,`ORIGINAL,`SUCCESS,`龙井 250 g,`,`-0.07404,`0.60%,`0.00,`12.34,`
        总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额
        `3,`109.90,`12.34,`0.00,`0.58536,`109.90,`12.34
        """";

    // The fund-flow bill, with full-width brackets in the header (as some generations write it) and a quoted note.
    private const string Fund = """
        记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号
        `2026-12-05 10:00:01,`4200000000202612050000000001,`202612050000000001,`交易,`交易,`收入,`100.00,`100.00,`1900000109API,`,`2026120500000000000000000001
        `2026-12-05 10:00:01,`4200000000202612050000000001,`202612050000000002,`扣除交易手续费,`扣除交易手续费,`支出,`0.60,`99.40,`1900000109API,`,`2026120500000000000000000001
        `2026-12-05 23:59:59,`50300000000202612050000000001,`202612050000000003,`退款,`退款,`支出,`12.34,`87.06,`1900000109API,"`退款总金额12.34元,含手续费0.00元",`R2026120500000000000000000001-01
        资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额
        `3,`1,`100.00,`2,`12.94
        """;

    [Fact]
    public void A_trade_bill_parses_into_typed_rows_with_exact_fen_and_its_summary()
    {
        var bill = TradeBill.Parse(Trade.ReplaceLineEndings("\r\n"));

        Assert.Equal(3, bill.Rows.Count);
        var first = bill.Rows[0];
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 10, 0, 1, TimeSpan.FromHours(8)), first.TradeTime);
        Assert.Equal(("4200000000202612050000000001", "2026120500000000000000000001", "SUCCESS"), (first.TransactionId, first.OutTradeNo, first.TradeState));
        Assert.Equal((10_000L, 10_000L, 60_000L), (first.OrderTotalFen, first.SettlementTotalFen, first.FeeMilliFen));
        Assert.False(first.IsRefund);
        Assert.Null(first.OutRefundNo);

        var quoted = bill.Rows[1];
        Assert.Equal("Tea, green \"Longjing\"", quoted.ProductName);
        Assert.Equal((990L, 5_940L), (quoted.OrderTotalFen, quoted.FeeMilliFen));

        var refund = bill.Rows[2];
        Assert.True(refund.IsRefund);
        Assert.Equal(("R2026120500000000000000000001-01", "50300000000202612050000000001", 1_234L, "SUCCESS", -7_404L),
            (refund.OutRefundNo, refund.RefundId, refund.RefundFen, refund.RefundStatus, refund.FeeMilliFen));

        Assert.Equal(new TradeBillSummary(3, 10_990, 1_234, 0, 58_536, 10_990, 1_234), bill.Summary);
    }

    [Fact]
    public void A_fund_flow_bill_parses_with_full_width_headers_and_quoted_notes()
    {
        var bill = FundFlowBill.Parse(Fund);

        Assert.Equal([(10_000L, "交易"), (-60L, "扣除交易手续费"), (-1_234L, "退款")], bill.Rows.Select(r => (r.NetFen, r.BusinessType)));
        Assert.Equal("退款总金额12.34元,含手续费0.00元", bill.Rows[2].Note);
        Assert.Equal("R2026120500000000000000000001-01", bill.Rows[2].VoucherNo);
        Assert.Equal(new FundFlowBillSummary(3, 1, 10_000, 2, 1_294), bill.Summary);
    }

    [Theory]
    [InlineData("100.00", 10_000L)]
    [InlineData("0.01", 1L)]
    [InlineData("0.01000", 1L)]
    [InlineData("-12.3", -1_230L)]
    [InlineData("7", 700L)]
    [InlineData("92233720368.54", 9_223_372_036_854L)]
    public void Yuan_become_fen_exactly(string yuan, long fen) => Assert.Equal(fen, BillMoney.ToFen(yuan, "amount"));

    [Theory]
    [InlineData("0.015")]
    [InlineData("1e2")]
    [InlineData("1,000.00")]
    [InlineData("12.")]
    [InlineData(".5")]
    [InlineData("NaN")]
    public void Amounts_that_are_not_exact_yuan_are_refused(string yuan) =>
        Assert.Throws<BillFormatException>(() => BillMoney.ToFen(yuan, "amount"));

    [Fact]
    public void A_bill_cut_short_or_whose_summary_disagrees_is_refused()
    {
        var lines = Trade.Split('\n');
        Assert.Throws<BillFormatException>(() => TradeBill.Parse(string.Join('\n', lines[..^2])));
        Assert.Throws<BillFormatException>(() => TradeBill.Parse(Trade.Replace("`3,`109.90", "`4,`109.90", StringComparison.Ordinal)));
        Assert.Throws<BillFormatException>(() => TradeBill.Parse(Trade.Replace("`9.90,`0.00,`0,`0", "`9.9x,`0.00,`0,`0", StringComparison.Ordinal)));
        Assert.Throws<BillFormatException>(() => FundFlowBill.Parse(Trade));
        Assert.Throws<BillFormatException>(() => TradeBill.Parse(Trade.Replace("\"`Tea, green \"\"Longjing\"\"\"", "\"`Tea, unclosed", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_empty_line_and_a_byte_order_mark_change_nothing()
    {
        var bill = TradeBill.Parse("\uFEFF" + Trade.Replace("\n总交易单数", "\n\n总交易单数", StringComparison.Ordinal));
        Assert.Equal(3, bill.Rows.Count);
    }
}
