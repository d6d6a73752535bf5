using System.Net.Http.Json;
using System.Text;
using Shop.Api.Auth;
using Shop.Client.Identity;
using Shop.Hosting;

namespace Shop.Benchmarks.Hosts;

/// <summary>
/// Bearer tokens the API accepts: minted with the token code the API ships (<see cref="ShopTokenIssuer"/>) when the
/// signing key is known (the tool's own hosts, or <c>--signing-key</c>), else asked of a Development API at
/// <c>POST /api/dev/token</c>.
/// </summary>
public sealed class BenchmarkTokens(ShopTokenIssuer? issuer, HttpClient api)
{
    public const int Minutes = 24 * 60;

    public static BenchmarkTokens WithKey(string signingKey, HttpClient api) =>
        new(new ShopTokenIssuer(new ShopAuthOptions(Encoding.UTF8.GetBytes(signingKey), "shop", "shop"), TimeProvider.System), api);

    public static BenchmarkTokens FromDevEndpoint(HttpClient api) => new(null, api);

    public Task<string> AdminAsync() => IssueAsync("bench-admin", ShopRoles.Admin);

    public Task<string> CustomerAsync(string sub) => IssueAsync(sub, ShopRoles.Customer);

    private async Task<string> IssueAsync(string sub, string role)
    {
        if (issuer is not null)
        {
            return issuer.Issue(sub, role, Minutes).AccessToken;
        }

        var response = await api.PostAsJsonAsync("/api/dev/token", new DevTokenRequest(sub, role, Minutes));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"POST /api/dev/token answered {(int)response.StatusCode}: the API is not in Development; pass --signing-key (its Auth:SigningKey).");
        }

        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.AccessToken;
    }
}
