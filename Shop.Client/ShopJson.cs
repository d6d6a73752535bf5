using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Client;

/// <summary>
/// The JSON rules of the public API, shared by the server and the client so both read and write the same shapes:
/// camelCase names, numbers only as JSON numbers (no "60" for 60), enums only as their names, and no null where the
/// contract says non-null.
/// </summary>
public static class ShopJson
{
    public static JsonSerializerOptions CreateOptions() => Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
        options.RespectNullableAnnotations = true;
        return options;
    }
}
