using System.Text.Json.Serialization;

namespace Shop.WeChatPay.Api;

/// <summary>
/// The answer to 申请交易账单 (GET /v3/bill/tradebill) and 申请资金账单 (GET /v3/bill/fundflowbill): where to download the
/// file (valid for a short while: 30 s in the older documentation, 5 min in the newer) and the SHA1 of the file as
/// WeChat Pay made it (of the uncompressed bill when tar_type=GZIP).
/// </summary>
public sealed record BillApplication(
    [property: JsonPropertyName("hash_type")] string HashType,
    [property: JsonPropertyName("hash_value")] string HashValue,
    [property: JsonPropertyName("download_url")] string DownloadUrl);

public static class TradeBillTypes
{
    /// <summary>Every payment and refund of the day (not recharge refunds).</summary>
    public const string All = "ALL";
    public const string Success = "SUCCESS";
    public const string Refund = "REFUND";
}

public static class FundAccountTypes
{
    /// <summary>The basic account, where JSAPI payments settle.</summary>
    public const string Basic = "BASIC";
    public const string Operation = "OPERATION";
    public const string Fees = "FEES";
}

public static class BillTarTypes
{
    public const string Gzip = "GZIP";
}
