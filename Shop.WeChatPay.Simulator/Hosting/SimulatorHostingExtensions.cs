using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shop.WeChatPay.Simulator.Bills;
using Shop.WeChatPay.Simulator.Configuration;
using Shop.WeChatPay.Simulator.Controls;
using Shop.WeChatPay.Simulator.Keys;
using Shop.WeChatPay.Simulator.MiniProgram;
using Shop.WeChatPay.Simulator.Notifications;
using Shop.WeChatPay.Simulator.Payments;
using Shop.WeChatPay.Simulator.Protocol;
using Shop.WeChatPay.Simulator.Refunds;

namespace Shop.WeChatPay.Simulator.Hosting;

public static class SimulatorHostingExtensions
{
    public const string DefaultUrl = "http://127.0.0.1:5090";

    /// <summary>
    /// The WeChat Pay simulator: signed /v3 API for the configured merchants, encrypted and signed notifications with the
    /// documented retries, /sns/jscode2session, and loopback-only test controls under /simulator. Settings come from the
    /// <c>Simulator</c> section and are validated at start-up.
    /// </summary>
    public static WebApplicationBuilder AddWeChatPaySimulator(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddWeChatPaySimulator(builder.Configuration.GetSection(SimulatorOptions.Section));
        return builder;
    }

    public static IServiceCollection AddWeChatPaySimulator(this IServiceCollection services, IConfiguration section)
    {
        services.AddOptions<SimulatorOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => PlatformKeys.Create(Options(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => MerchantRegistry.Create(Options(sp)));
        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<SimulatorLedger>();
        services.AddSingleton<OrderBook>();
        services.AddSingleton<RefundDesk>();
        services.AddSingleton<SimulatorFaults>();
        services.AddSingleton<AccessTokens>().AddSingleton<DeliveryList>().AddSingleton<ShippingDesk>().AddSingleton<MiniProgramFaults>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<NotificationPublisher>();
        services.AddSingleton<BillInjections>().AddSingleton<BillBuilder>().AddSingleton<BillFiles>().AddSingleton<BillSchedule>();
        services.AddOptions<BillOptions>().Bind(section.GetSection(BillOptions.Section))
            .Validate(o => o.FeeRate is >= 0 and < 0.1m && o.ReadyAt >= TimeSpan.Zero, "Simulator:Bills: FeeRate must be in [0, 0.1), ReadyAt not negative").ValidateOnStart();
        services.AddHostedService<PlatformKeyFiles>();
        services.AddHostedService<NotificationDispatcher>();
        services.AddHttpClient(NotificationDispatcher.HttpClientName, (sp, client) => client.Timeout = Options(sp).NotificationTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        services.AddProblemDetails();
        return services;
    }

    /// <summary>Maps the endpoints; throws <see cref="OptionsValidationException"/> first when a setting is wrong.</summary>
    public static WebApplication MapWeChatPaySimulator(this WebApplication app)
    {
        _ = Options(app.Services);
        // The bill download answers unsigned, as WeChat Pay's does (the file is checked by its hash).
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/v3") && !c.Request.Path.StartsWithSegments(BillEndpoints.DownloadPath),
            v3 => v3.UseMiddleware<WeChatPayMiddleware>());
        var v3 = app.MapGroup("/v3");
        v3.MapTransactions().MapRefunds().MapCertificates().MapBills();
        app.MapBillDownload();
        app.MapFallback("/v3/{**path}", () => WeChatPayResults.Error(new WeChatPayError(404, "NOT_FOUND", "no such API in the simulator")));

        app.MapJsCode2Session().MapMiniProgramShipping();
        app.MapGroup("/simulator").AddEndpointFilter<LoopbackOnlyFilter>().MapPaymentControls().MapNotificationControls().MapFaultControls()
            .MapBillControls().MapMiniProgramControls();
        app.MapGet("/health/ready", () => TypedResults.Ok("ready"));
        return app;
    }

    private static SimulatorOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<SimulatorOptions>>().Value;
}
