using Refit;
using Shop.Client.Identity;

namespace Shop.Client;

/// <summary>
/// The public HTTP API. Calls that fail throw <see cref="ApiException"/>; read its problem details with
/// <see cref="ShopApiProblem.FromException"/>. Authenticate by setting the HttpClient's bearer header.
/// </summary>
public interface IShopApi
{
    /// <summary>The caller's subject and roles (customer or admin).</summary>
    [Get("/api/me")]
    Task<MeResponse> GetMeAsync(CancellationToken cancellationToken = default);

    /// <summary>Admin only: answers when the API reaches the cluster, with the active silo count.</summary>
    [Get("/api/admin/ping")]
    Task<AdminPingResponse> AdminPingAsync(CancellationToken cancellationToken = default);

    /// <summary>Development hosts only: mints a signed token for local testing.</summary>
    [Post("/api/dev/token")]
    Task<TokenResponse> CreateDevTokenAsync([Body] DevTokenRequest request, CancellationToken cancellationToken = default);
}
