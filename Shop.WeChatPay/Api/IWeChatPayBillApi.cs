using Refit;

namespace Shop.WeChatPay.Api;

/// <summary>
/// The two bill applications of WeChat Pay API v3 (direct merchant). Signed and verified like every other call (see
/// <c>AddWeChatPayBills</c>); the file itself is fetched by <see cref="WeChatPayBillDownloader"/>, because the download
/// answer is not signed and is checked by its hash instead.
/// </summary>
public interface IWeChatPayBillApi
{
    /// <param name="billDate">yyyy-MM-dd, at most three months back; ready from about 10:00 (Beijing time) the next day.</param>
    /// <param name="billType"><see cref="TradeBillTypes"/>; null means ALL.</param>
    /// <param name="tarType"><see cref="BillTarTypes.Gzip"/> or null for the plain file.</param>
    [Get("/v3/bill/tradebill")]
    Task<BillApplication> ApplyTradeBillAsync(
        [Query, AliasAs("bill_date")] string billDate,
        [Query, AliasAs("bill_type")] string? billType = null,
        [Query, AliasAs("tar_type")] string? tarType = null,
        CancellationToken cancellationToken = default);

    /// <param name="accountType"><see cref="FundAccountTypes"/>; null means BASIC.</param>
    [Get("/v3/bill/fundflowbill")]
    Task<BillApplication> ApplyFundFlowBillAsync(
        [Query, AliasAs("bill_date")] string billDate,
        [Query, AliasAs("account_type")] string? accountType = null,
        [Query, AliasAs("tar_type")] string? tarType = null,
        CancellationToken cancellationToken = default);
}
