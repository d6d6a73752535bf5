namespace Shop.Client.Identity;

/// <summary>Who the caller is, as the API sees the bearer token.</summary>
public sealed record MeResponse(string Sub, IReadOnlyList<string> Roles);

/// <summary>An operator's round trip through the API into the cluster.</summary>
public sealed record AdminPingResponse(string Sub, int ActiveSilos, DateTimeOffset ServerTime);

/// <summary>Development only: asks the API to mint a token. <c>Minutes</c> defaults to 60.</summary>
public sealed record DevTokenRequest(string Sub, string Role, int? Minutes = null);

public sealed record TokenResponse(string AccessToken, string TokenType, DateTimeOffset ExpiresAt);
