using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Errors;
using Shop.Client.Payments;

namespace Shop.Api.Payments;

/// <summary>Whether this deployment takes WeChat Pay: the same rule as the silo's (the WeChatPay section names a merchant).</summary>
public sealed record PaymentsAvailability(bool Enabled)
{
    public static PaymentsAvailability FromConfiguration(IConfiguration configuration) =>
        new(!string.IsNullOrWhiteSpace(configuration["WeChatPay:MchId"]));

    public static ProblemHttpResult NotConfigured() =>
        ShopProblems.Problem(StatusCodes.Status503ServiceUnavailable, PaymentErrorCodes.PaymentsNotConfigured,
            "WeChat Pay is not configured on this deployment.");
}
