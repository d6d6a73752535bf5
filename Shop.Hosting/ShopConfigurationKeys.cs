namespace Shop.Hosting;

/// <summary>
/// Every configuration key the hosts read (as <c>Section:Key</c>; environment variables spell <c>:</c> as <c>__</c>),
/// so that deployment manifests can be checked against it. A trailing <c>*</c> stands for keys the operator names
/// (key ids, list indexes). Shop.Tests/Deploy/ConfigurationKeyTests.cs checks this list against the code both ways:
/// each key is read somewhere (an options property of the bound section, or a literal the code looks up), and every
/// property of a bound options class is listed. Add a key here when you add a setting.
/// </summary>
public static class ShopConfigurationKeys
{
    public static readonly IReadOnlyList<string> All =
    [
        // ASP.NET Core host and our own host wiring
        "Urls", "AllowedHosts", "Logging:*", "ConnectionStrings:Shop", "OTEL_EXPORTER_OTLP_ENDPOINT",
        "Auth:SigningKey", "Auth:Issuer", "Auth:Audience", "Auth:VerificationKeys:*", "Auth:KeysFile", "Auth:KeysFileReloadInterval",
        "Orleans:ClusterId", "Orleans:ServiceId", "Orleans:SiloPort", "Orleans:GatewayPort", "Orleans:AdvertisedIPAddress",
        "Orleans:ConnectTimeoutSeconds", "Orleans:ListenOnAnyHostAddress", "Orleans:Membership:ProbeTimeout",
        "Orleans:Membership:NumMissedProbesLimit", "Orleans:Membership:NumVotesForDeathDeclaration",
        "Orleans:Membership:NumProbedSilos", "Orleans:Membership:TableRefreshTimeout",
        "Orleans:Membership:IAmAliveTablePublishTimeout", "Orleans:CollectionAge", "Orleans:ShutdownTimeout",
        "Orleans:Tls:CertificatePath", "Orleans:Tls:CertificatePassword", "Database:MaxPoolSize", "Api:SiloFailoverRetryTimeout",
        "Api:DrainDelay", "Api:ShutdownTimeout", "Orleans:DesiredSilos",
        "Observability:TraceSampleRatio", "Observability:DetailedOrleansMetrics",
        "Dashboard:CounterUpdateIntervalMs", "Dashboard:SignInLifetime", "Dashboard:OpenIdConnect:Authority",
        "Dashboard:OpenIdConnect:ClientId", "Dashboard:OpenIdConnect:ClientSecret", "Dashboard:OpenIdConnect:Scope",
        "Dashboard:OpenIdConnect:AdminClaim", "Dashboard:OpenIdConnect:AdminValue",
        "Api:MaxRequestBodyBytes", "Api:RequestHeadersTimeoutSeconds",
        "RateLimiting:Reads:PermitLimit", "RateLimiting:Reads:WindowSeconds",
        "RateLimiting:Writes:PermitLimit", "RateLimiting:Writes:WindowSeconds",
        // Personal data (API): exports
        "PersonalData:ExportReauthMaxAgeSeconds", "PersonalData:ExportsPerDay",
        // Grains
        "Catalog:UnknownProductRetention", "Catalog:ProjectionRetryDelay", "Catalog:ProjectionRetryMaxDelay",
        "Catalog:CategoryReservationLifetime", "Catalog:DetailCacheTtl", "Catalog:DetailCacheMaxEntries",
        "Orders:NumberKey", "Orders:PersonalDataKeys:*", "Orders:PersonalDataActiveKeyId",
        "Orders:PaymentTimeout", "Orders:AutoCompleteAfterShipping", "Orders:ReservationGrace", "Orders:ReminderPeriod",
        "Orders:DueSweepInterval", "Orders:OutboxRetry", "Orders:Numbers:LeaseDuration", "Orders:Numbers:RenewInterval",
        "Orders:Numbers:ReservationWindow",
        "Hoarding:MaxUnpaidOrders", "Hoarding:MaxUnpaidUnitsPerSku", "Campaigns:ReminderPeriod",
        "Campaigns:MetricsInterval",
        "Payments:ReconcileAfter:*", "Payments:PrepayReuseFor", "Payments:RefundQueryAfter", "Payments:RefundQueryEvery",
        "Payments:RetryAfter",
        "Inventory:ProjectionInterval", "Audit:StockInterval",
        "Reconciliation:DailyAt", "Reconciliation:RetryEvery",
        "Reconciliation:MissingFromBillWindow", "Reconciliation:RefundMissingFromBillWindow", "Reconciliation:BillWaitLimit",
        "Reconciliation:LookBackDays", "Reconciliation:CheckEvery",
        "Kafka:BootstrapServers", "Kafka:OrderEventsTopic", "Kafka:MessageTimeoutMs",
        // After-sales
        "AfterSales:Window", "AfterSales:MerchantResponseTime", "AfterSales:ReturnShippingDeadline", "AfterSales:DueSweepInterval",
        "AfterSales:RefundFollowUp", "AfterSales:MetricsInterval",
        // Shipping fees and the address book (silo; the API shows MaxAddresses)
        "Shipping:MaxAddresses", "Shipping:TemplateCacheTtl",
        // Personal data: erasure and retention
        "Privacy:RetentionDays", "Privacy:SweepInterval", "Privacy:ReminderPeriod", "Privacy:ErasureRecheckInterval",
        "Privacy:RetentionBatchSize",
        // WeChat Pay (silo) and mini-program login (API)
        "WeChatPay:MchId", "WeChatPay:AppId", "WeChatPay:MerchantPrivateKeyPath", "WeChatPay:MerchantCertificateSerial",
        "WeChatPay:ApiV3Key", "WeChatPay:PublicKeyId", "WeChatPay:PublicKeyPath", "WeChatPay:UsePlatformCertificates",
        "WeChatPay:NotifyUrl", "WeChatPay:BaseUrl", "WeChatPay:CertificateRefreshInterval",
        "WeChatPay:UnknownSerialRefreshInterval", "WeChatPay:UserAgent", "WeChatPay:ShopperTimeBudget",
        "WeChatPay:AttemptTimeout", "WeChatPay:TotalTimeout", "WeChatPay:CircuitBreaker:*",
        "WeChatLogin:BaseUrl", "WeChatLogin:AppId", "WeChatLogin:AppSecret", "WeChatLogin:Timeout",
        // The WeChat Pay simulator (local runs, compose)
        "Simulator:PublicKeyId", "Simulator:PlatformPrivateKeyPath", "Simulator:PlatformPublicKeyOutputPath",
        "Simulator:PlatformCertificateOutputPath", "Simulator:RetryTimeScale", "Simulator:NotificationTimeout",
        "Simulator:Merchants:*", "Simulator:MiniProgramSecrets:*",
        "Simulator:Bills:FeeRate", "Simulator:Bills:ReadyAt",
        // Shipping: WeChat shipping information (silo)
        "Fulfilment:UploadMaxAttempts", "Fulfilment:UploadRetryDelay", "Fulfilment:UploadRetryMaxDelay",
        "Fulfilment:AccessTokenRefreshBefore",
        "WeChatMiniProgram:BaseUrl", "WeChatMiniProgram:AppId", "WeChatMiniProgram:AppSecret", "WeChatMiniProgram:Timeout",
        "WeChatMiniProgram:DeliveryListRefresh",
    ];

    /// <summary>True when <paramref name="key"/> (either spelling: <c>A:B</c> or <c>A__B</c>) is a known key.</summary>
    public static bool IsKnown(string key)
    {
        var normalized = key.Replace("__", ":", StringComparison.Ordinal);
        return All.Any(k => k.EndsWith(":*", StringComparison.Ordinal)
            ? normalized.StartsWith(k[..^1], StringComparison.OrdinalIgnoreCase) && normalized.Length > k.Length - 1
            : string.Equals(k, normalized, StringComparison.OrdinalIgnoreCase));
    }
}
