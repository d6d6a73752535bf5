using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Tests.Infrastructure;

/// <summary>Tokens signed with the test cluster's key, and deliberately broken ones.</summary>
public static class TestTokens
{
    public const string SigningKey = "shop-tests-signing-key-0123456789-abcdefghijklmnop";
    public const string Issuer = "shop";
    public const string Audience = "shop";

    /// <summary>Secrets of the orders feature (order number permutation, personal-data key "test") for every test host.</summary>
    public const string OrderNumberKey = "shop-tests-order-number-key-0123456789";
    public const string PersonalDataKey = "dGVzdHMtcGVyc29uYWwtZGF0YS1rZXktMzItYnl0ZXM=";

    public static string Create(string sub, string role, TimeSpan? lifetime = null, string key = SigningKey, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = new Dictionary<string, object> { ["sub"] = sub, ["role"] = role, ["jti"] = Guid.NewGuid().ToString("N") },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public static string Customer(string sub = "customer-1") => Create(sub, "customer");

    public static string Admin(string sub = "admin-1") => Create(sub, "admin");

    /// <summary>An unsigned token (<c>alg: none</c>) with otherwise valid claims.</summary>
    public static string Unsigned(string sub, string role)
    {
        static string B64(string json) => Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return B64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
               B64($"{{\"sub\":\"{sub}\",\"role\":\"{role}\",\"iss\":\"{Issuer}\",\"aud\":\"{Audience}\",\"exp\":{exp}}}") + ".";
    }
}
