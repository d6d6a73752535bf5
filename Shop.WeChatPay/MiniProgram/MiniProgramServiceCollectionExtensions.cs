using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Refit;

namespace Shop.WeChatPay.MiniProgram;

public static class MiniProgramServiceCollectionExtensions
{
    /// <summary>
    /// The mini-program server API client. No retry handler: every caller of it (the shipping upload, the token grain)
    /// keeps its own durable retry, and a hidden retry would double the calls WeChat counts against the daily quota.
    /// </summary>
    public static IHttpClientBuilder AddWeChatMiniProgram(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<WeChatMiniProgramOptions>().Bind(section);
        return services.AddRefitGeneratedClient<IWeChatMiniProgramApi>()
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<WeChatMiniProgramOptions>>().Value;
                client.BaseAddress = new Uri(options.BaseUrl);
                client.Timeout = options.Timeout;
            });
    }
}
