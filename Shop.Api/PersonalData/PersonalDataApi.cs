namespace Shop.Api.PersonalData;

/// <summary>The API's personal-data features: exports, the access log and its query, and the audit of admin reads.</summary>
public static class PersonalDataApi
{
    public static WebApplicationBuilder AddShopPersonalData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(PersonalDataOptions.FromConfiguration(builder.Configuration));
        return builder;
    }

    /// <summary>Maps the routes, and audits every admin answer under <paramref name="api"/> that carries an order's shipping details.</summary>
    public static RouteGroupBuilder MapPersonalData(this RouteGroupBuilder api)
    {
        api.AuditPersonalDataReads();
        api.MapPersonalDataExportEndpoints();
        api.MapPersonalDataAuditEndpoints();
        return api;
    }
}
