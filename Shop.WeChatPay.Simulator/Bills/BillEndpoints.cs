using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.WeChatPay.Api;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Bills;

/// <summary>
/// 申请交易账单 and 申请资金账单 (signed like every /v3 answer) and the download of the file they announce, which is NOT
/// signed (as at WeChat Pay: the merchant checks the file by the SHA1 of the application). A day's bills exist from
/// <see cref="BillOptions.ReadyAt"/> (10:00 Beijing) of the next day, or when a test control made them early; before
/// that the answer is WeChat Pay's 400 STATEMENT_CREATING (账单生成中: its error table for both bill APIs says to try
/// again after T+1 08:00 for the trade bill, 10:00 for the fund flow), and once made, a day without any row is 400
/// NO_STATEMENT_EXIST (账单文件不存在).
/// </summary>
internal static class BillEndpoints
{
    public const string DownloadPath = "/v3/billdownload/file";
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static RouteGroupBuilder MapBills(this RouteGroupBuilder v3)
    {
        v3.MapGet("/bill/tradebill", TradeBill);
        v3.MapGet("/bill/fundflowbill", FundFlowBill);
        return v3;
    }

    /// <summary>Outside the /v3 signing middleware: the request is authenticated here, the answer goes unsigned.</summary>
    public static WebApplication MapBillDownload(this WebApplication app)
    {
        app.MapGet(DownloadPath, Download);
        return app;
    }

    private static Results<JsonHttpResult<BillApplication>, JsonHttpResult<WeChatPayError>> TradeBill(
        [FromQuery(Name = "bill_date")] string? billDate, [FromQuery(Name = "bill_type")] string? billType, [FromQuery(Name = "tar_type")] string? tarType,
        SignedRequest request, BillBuilder bills, BillFiles files, BillSchedule schedule, HttpContext context, TimeProvider time)
    {
        var type = billType ?? TradeBillTypes.All;
        if (type is not (TradeBillTypes.All or TradeBillTypes.Success or TradeBillTypes.Refund))
        {
            return WeChatPayResults.Error(WeChatPayError.Param("/bill_type", billType, "must be ALL, SUCCESS or REFUND", "query"));
        }

        return Apply(billDate, tarType, time, schedule, day => bills.TradeBill(request.Merchant.MchId, day, type), request, files, context);
    }

    private static Results<JsonHttpResult<BillApplication>, JsonHttpResult<WeChatPayError>> FundFlowBill(
        [FromQuery(Name = "bill_date")] string? billDate, [FromQuery(Name = "account_type")] string? accountType, [FromQuery(Name = "tar_type")] string? tarType,
        SignedRequest request, BillBuilder bills, BillFiles files, BillSchedule schedule, HttpContext context, TimeProvider time)
    {
        var account = accountType ?? FundAccountTypes.Basic;
        if (account is not (FundAccountTypes.Basic or FundAccountTypes.Operation or FundAccountTypes.Fees))
        {
            return WeChatPayResults.Error(WeChatPayError.Param("/account_type", accountType, "must be BASIC, OPERATION or FEES", "query"));
        }

        return Apply(billDate, tarType, time, schedule, day => bills.FundFlowBill(request.Merchant.MchId, day, account), request, files, context);
    }

    private static Results<JsonHttpResult<BillApplication>, JsonHttpResult<WeChatPayError>> Apply(
        string? billDate, string? tarType, TimeProvider time, BillSchedule schedule, Func<DateOnly, string?> build, SignedRequest request, BillFiles files, HttpContext context)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Beijing).DateTime);
        if (!DateOnly.TryParseExact(billDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return WeChatPayResults.Error(WeChatPayError.Param("/bill_date", billDate, "must be a date yyyy-MM-dd", "query"));
        }

        if (day > today || day < today.AddMonths(-3))
        {
            return WeChatPayResults.Error(WeChatPayError.Param("/bill_date", billDate, "only bills of the last three months can be applied for", "query"));
        }

        if (tarType is not (null or BillTarTypes.Gzip))
        {
            return WeChatPayResults.Error(WeChatPayError.Param("/tar_type", tarType, "must be GZIP or absent", "query"));
        }

        if (!schedule.IsMade(day))
        {
            return WeChatPayResults.Error(new WeChatPayError(400, "STATEMENT_CREATING",
                $"账单生成中: the bills of {day:yyyy-MM-dd} are made from {schedule.ReadyAt(day):yyyy-MM-dd HH:mm} Beijing time"));
        }

        if (build(day) is not { } bill)
        {
            return WeChatPayResults.Error(new WeChatPayError(400, "NO_STATEMENT_EXIST", "账单文件不存在: no transaction or refund on that day"));
        }

        var content = Encoding.UTF8.GetBytes(bill);
        var token = files.Add(request.Merchant.MchId, content, tarType == BillTarTypes.Gzip);
        var url = $"{context.Request.Scheme}://{context.Request.Host}{DownloadPath}?token={token}";
        return WeChatPayResults.Ok(new BillApplication("SHA1", Convert.ToHexStringLower(SHA1.HashData(content)), url));
    }

    private static async Task<IResult> Download(
        string? token, HttpContext context, RequestAuthenticator authenticator, BillFiles files, BillInjections injections, TimeProvider time)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var (merchant, error) = authenticator.Authenticate(context.Request.Method, target, context.Request.Headers.Authorization,
            context.Request.Headers.UserAgent, [], time.GetUtcNow());
        if (error is not null)
        {
            return WeChatPayResults.Error(error);
        }

        if (token is null || files.Find(token) is not { } file || file.MchId != merchant!.MchId)
        {
            return WeChatPayResults.Error(new WeChatPayError(400, "INVALID_REQUEST", "下载链接无效或已过期: apply for the bill again"));
        }

        var content = injections.TakeTamper() ? Tampered(file.Content) : file.Content;
        if (!file.Gzip)
        {
            return TypedResults.Bytes(content, "text/plain; charset=utf-8");
        }

        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(content);
        }

        return TypedResults.Bytes(compressed.ToArray(), "application/octet-stream", "bill.gzip");
    }

    /// <summary>One digit of the last amount changed: still a well-formed bill, but not the one whose hash was announced.</summary>
    private static byte[] Tampered(byte[] content)
    {
        var copy = (byte[])content.Clone();
        for (var i = copy.Length - 1; i >= 0; i--)
        {
            if (copy[i] is >= (byte)'0' and <= (byte)'8')
            {
                copy[i]++;
                break;
            }
        }

        return copy;
    }
}
