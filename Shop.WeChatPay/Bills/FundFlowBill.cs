namespace Shop.WeChatPay.Bills;

/// <summary>
/// One row of a fund-flow bill (资金账单): a movement of the merchant's account. <see cref="BusinessNo"/> is WeChat Pay's
/// number (the transaction_id of a payment, the refund_id of a refund); <see cref="VoucherNo"/> (业务凭证号) the merchant's.
/// </summary>
public sealed record FundFlowBillRow(
    DateTimeOffset BookedAt,
    string BusinessNo,
    string FlowNo,
    string BusinessName,
    string BusinessType,
    string Direction,
    long AmountFen,
    long BalanceFen,
    string Applicant,
    string Note,
    string VoucherNo)
{
    public const string Income = "收入";
    public const string Expense = "支出";

    /// <summary>Signed: income positive, expense negative.</summary>
    public long NetFen => Direction == Expense ? -AmountFen : AmountFen;
}

/// <summary>The summary row: 资金流水总笔数, 收入笔数, 收入金额, 支出笔数, 支出金额.</summary>
public sealed record FundFlowBillSummary(long Count, long IncomeCount, long IncomeFen, long ExpenseCount, long ExpenseFen);

public sealed record FundFlowBill(IReadOnlyList<FundFlowBillRow> Rows, FundFlowBillSummary Summary)
{
    public const string FirstColumn = "记账时间";
    public const string SummaryMarker = "资金流水总笔数";

    /// <exception cref="BillFormatException">Not a fund-flow bill in the documented format, or the summary disagrees.</exception>
    public static FundFlowBill Parse(string text)
    {
        var t = BillTable.Parse(text, FirstColumn, SummaryMarker);
        var rows = t.Rows.Select(r => new FundFlowBillRow(
            t.Time(r, "记账时间"), t.Text(r, "微信支付业务单号"), t.Text(r, "资金流水单号"), t.Text(r, "业务名称"), t.Text(r, "业务类型"),
            t.Text(r, "收支类型"), t.Fen(r, "收支金额(元)"), t.Fen(r, "账户结余(元)", false), t.Text(r, "资金变更提交申请人", false),
            t.Text(r, "备注", false), t.Text(r, "业务凭证号", false))).ToList();
        if (rows.FirstOrDefault(r => r.Direction is not (FundFlowBillRow.Income or FundFlowBillRow.Expense)) is { } odd)
        {
            throw new BillFormatException($"收支类型 \"{odd.Direction}\" is neither 收入 nor 支出");
        }

        var summary = new FundFlowBillSummary(t.SummaryCount("资金流水总笔数"), t.SummaryCount("收入笔数"), t.SummaryFen("收入金额"),
            t.SummaryCount("支出笔数"), t.SummaryFen("支出金额"));
        var income = rows.Where(r => r.Direction == FundFlowBillRow.Income).ToList();
        var expense = rows.Where(r => r.Direction == FundFlowBillRow.Expense).ToList();
        if (summary.Count != rows.Count || summary.IncomeCount != income.Count || summary.ExpenseCount != expense.Count)
        {
            throw new BillFormatException($"the summary counts {summary.Count} rows ({summary.IncomeCount} in, {summary.ExpenseCount} out), the bill has {rows.Count} ({income.Count} in, {expense.Count} out)");
        }

        return new FundFlowBill(rows, summary);
    }
}
