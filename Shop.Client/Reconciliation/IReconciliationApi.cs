using Refit;

namespace Shop.Client.Reconciliation;

/// <summary>Admin routes of the daily reconciliation against WeChat Pay's bills (role "admin").</summary>
public interface IReconciliationApi
{
    [Get("/api/admin/reconciliation/runs")]
    Task<IApiResponse<BillRunListResponse>> ListBillRunsAsync([Query] int? limit = null, CancellationToken cancellationToken = default);

    [Get("/api/admin/reconciliation/runs/{billDate}")]
    Task<IApiResponse<BillRunResponse>> GetBillRunAsync(string billDate, CancellationToken cancellationToken = default);

    /// <summary>Starts (or re-runs) the date; answered 202 at once, the run goes on in the cluster.</summary>
    [Post("/api/admin/reconciliation/runs/{billDate}")]
    Task<IApiResponse<BillRunResponse>> RunBillDateAsync(string billDate, CancellationToken cancellationToken = default);

    [Get("/api/admin/reconciliation/differences")]
    Task<IApiResponse<DifferencePageResponse>> ListDifferencesAsync([Query] string? status = null, [Query] string? billDate = null,
        [Query] int? limit = null, [Query] string? after = null, CancellationToken cancellationToken = default);

    [Post("/api/admin/reconciliation/differences/{id}/resolve")]
    Task<IApiResponse<DifferenceResponse>> ResolveDifferenceAsync(string id, [Body] ResolveDifferenceRequest request, CancellationToken cancellationToken = default);
}

public static class ReconciliationApiClient
{
    public static IReconciliationApi Create(HttpClient httpClient) =>
        RestService.For<IReconciliationApi>(httpClient, new RefitSettings(new SystemTextJsonContentSerializer(ShopJson.CreateOptions())));
}
