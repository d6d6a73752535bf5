using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.WeChatPay.Api;

/// <summary>
/// JSON settings for WeChat Pay bodies: names come from [JsonPropertyName] (mchid/appid are not snake_case of
/// anything), absent fields are omitted rather than sent as null, unknown response fields are ignored, and
/// non-ASCII text is written as UTF-8 rather than \u escapes (WeChat Pay counts field limits in characters).
/// </summary>
public static class WeChatPayJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = false,
    };
}

/// <summary>
/// Writes RFC 3339 with whole seconds and the offset (yyyy-MM-ddTHH:mm:ss+08:00); the round-trip "o" format would add
/// fractional seconds that WeChat Pay does not document.
/// </summary>
public sealed class Rfc3339SecondsConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:sszzz";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("Expected an RFC 3339 time."), CultureInfo.InvariantCulture);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(Format, CultureInfo.InvariantCulture));
}
