using System.ComponentModel;

namespace Shop.Api.Payments;

/// <summary>
/// The body of every non-2xx answer of the notify_url that the endpoint writes itself, in the form WeChat Pay expects
/// (it redelivers until it gets a 2xx). Documents <c>WeChatPayNotifyEndpoint.Fail</c>, which writes these two fields.
/// </summary>
public sealed record WeChatPayNotifyFailure(
    [property: Description("Always FAIL.")] string Code,
    [property: Description("Why the notification was not processed.")] string Message);
