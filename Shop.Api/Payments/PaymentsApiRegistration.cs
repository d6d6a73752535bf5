using Refit;
using Shop.Api.Auth;

namespace Shop.Api.Payments;

public static class PaymentsApiRegistration
{
    /// <summary>The API's part of payments: whether WeChat Pay is on, and the jscode2session client when login is configured.</summary>
    public static IServiceCollection AddShopPaymentsApi(this IServiceCollection services, IConfiguration configuration, WeChatLoginOptions login)
    {
        services.AddSingleton(PaymentsAvailability.FromConfiguration(configuration));
        services.AddOptions<WeChatLoginOptions>().Bind(configuration.GetSection(WeChatLoginOptions.Section))
            .Validate(o => !o.Enabled || (Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback)),
                "WeChatLogin:BaseUrl must be an absolute https URL (http only for loopback simulators).")
            .Validate(o => !o.Enabled || !string.IsNullOrWhiteSpace(o.AppSecret), "WeChatLogin:AppSecret is required when WeChatLogin:AppId is set.")
            .ValidateOnStart();
        if (login.Enabled)
        {
            services.AddRefitGeneratedClient<IWeChatLoginApi>()
                .ConfigureHttpClient((sp, client) =>
                {
                    var options = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<WeChatLoginOptions>>().Value;
                    client.BaseAddress = new Uri(options.BaseUrl);
                    client.Timeout = options.Timeout;
                });
        }

        return services;
    }
}
