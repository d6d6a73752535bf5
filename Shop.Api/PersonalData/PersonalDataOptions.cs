using System.Security.Claims;
using Shop.Hosting;

namespace Shop.Api.PersonalData;

/// <summary><c>PersonalData:*</c>: how fresh a login an export needs, and how many exports a customer may make a day.</summary>
public sealed record PersonalDataOptions(TimeSpan ReauthMaxAge, int ExportsPerDay)
{
    public const string ReauthMaxAgeKey = "PersonalData:ExportReauthMaxAgeSeconds";
    public const string ExportsPerDayKey = "PersonalData:ExportsPerDay";

    public static PersonalDataOptions FromConfiguration(IConfiguration configuration)
    {
        var seconds = configuration.GetValue(ReauthMaxAgeKey, 300);
        var perDay = configuration.GetValue(ExportsPerDayKey, 3);
        if (seconds is < 1 or > 86_400)
        {
            throw new ShopConfigurationException($"{ReauthMaxAgeKey} must be 1 to 86400 seconds (got {seconds}).");
        }

        if (perDay < 0)
        {
            throw new ShopConfigurationException($"{ExportsPerDayKey} must be 0 (no limit) or more (got {perDay}).");
        }

        return new PersonalDataOptions(TimeSpan.FromSeconds(seconds), perDay);
    }

    /// <summary>
    /// True when the token was issued (the user signed in: our tokens are minted at login and never refreshed) within
    /// <see cref="ReauthMaxAge"/>. A stolen token is usually an old one, so it cannot take the export.
    /// </summary>
    public bool IsFreshLogin(ClaimsPrincipal user, DateTimeOffset now)
    {
        var issuedAt = user.FindFirst("auth_time")?.Value ?? user.FindFirst("iat")?.Value;
        return long.TryParse(issuedAt, System.Globalization.NumberStyles.None, null, out var seconds)
            && now - DateTimeOffset.FromUnixTimeSeconds(seconds) <= ReauthMaxAge
            && DateTimeOffset.FromUnixTimeSeconds(seconds) - now <= TimeSpan.FromSeconds(30);
    }
}
