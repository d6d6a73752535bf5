using System.Text.Json;
using Shop.Client;

namespace Shop.Tests.Api;

/// <summary>
/// The API's JSON rules reject values of the wrong kind with an error whose path names the field, which is what
/// lets the API answer VALIDATION_FAILED with that field (rather than MALFORMED_REQUEST) for any route.
/// </summary>
public sealed class ShopJsonTests
{
    public enum Colour
    {
        Red,
        Green,
    }

    public sealed record Paint(Colour Colour, long PriceFen);

    [Theory]
    [InlineData("{\"colour\": \"Purple\", \"priceFen\": 100}", "$.colour")]
    [InlineData("{\"colour\": 1, \"priceFen\": 100}", "$.colour")]
    [InlineData("{\"colour\": \"Red\", \"priceFen\": \"100\"}", "$.priceFen")]
    public void Values_of_the_wrong_kind_fail_on_their_field(string json, string path)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Paint>(json, ShopJson.CreateOptions()));
        Assert.Equal(path, error.Path);
        Assert.IsNotAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public void Enums_travel_as_their_names()
    {
        var options = ShopJson.CreateOptions();
        var json = JsonSerializer.Serialize(new Paint(Colour.Green, 250), options);
        Assert.Equal("{\"colour\":\"Green\",\"priceFen\":250}", json);
        Assert.Equal(new Paint(Colour.Green, 250), JsonSerializer.Deserialize<Paint>(json, options));
    }
}
