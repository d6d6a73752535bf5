using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shop.WeChatPay.Simulator.Protocol;

/// <summary>
/// Reads request body fields by JSON pointer and keeps the FIRST problem as a PARAM_ERROR with a <c>detail</c>, the
/// way WeChat Pay reports one field at a time. After a problem every read returns null.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonObject _root;

    private JsonFields(JsonObject root) => _root = root;

    public WeChatPayError? Error { get; private set; }

    public JsonObject Root => _root;

    public static JsonFields? Parse(byte[] body, out WeChatPayError? error)
    {
        error = null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject root)
            {
                return new JsonFields(root);
            }
        }
        catch (JsonException)
        {
            // Reported below as a body that is not a JSON object.
        }

        error = WeChatPayError.Param("/", null, "the body must be a JSON object");
        return null;
    }

    /// <summary>
    /// A string of at most <paramref name="maxBytes"/> UTF-8 bytes (WeChat Pay's <c>string[1,N]</c> counts bytes, so a
    /// Chinese character counts three), of 1–3 byte characters only; <paramref name="rule"/> returns an issue or null.
    /// </summary>
    public string? Text(string pointer, bool required, int maxBytes, Func<string, string?>? rule = null)
    {
        if (!Find(pointer, required, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            return Fail(pointer, node, "must be a string");
        }

        var value = node.GetValue<string>();
        if (value.Length == 0)
        {
            return Fail(pointer, node, required ? "must not be empty" : "must be left out rather than empty");
        }

        if (value.Any(char.IsSurrogate))
        {
            return Fail(pointer, node, "contains characters outside the Basic Multilingual Plane (e.g. emoji)");
        }

        if (Encoding.UTF8.GetByteCount(value) is var bytes && bytes > maxBytes)
        {
            return Fail(pointer, node, $"is longer than {maxBytes} bytes in UTF-8 ({bytes} bytes)");
        }

        return rule?.Invoke(value) is { } issue ? Fail(pointer, node, issue) : value;
    }

    /// <summary>An integer (a JSON number, not a string) of at least <paramref name="min"/>.</summary>
    public long? Integer(string pointer, bool required, long min)
    {
        if (!Find(pointer, required, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<long>(out var value))
        {
            Fail(pointer, node, "must be an integer");
            return null;
        }

        if (value < min)
        {
            Fail(pointer, node, $"must be at least {min}");
            return null;
        }

        return value;
    }

    /// <summary>Fails when the field is present, e.g. a field that must not accompany another.</summary>
    public void Reject(string pointer, string issue)
    {
        if (Find(pointer, required: false, out var node) && node is not null)
        {
            Fail(pointer, node, issue);
        }
    }

    public T? Fail<T>(string pointer, JsonNode? value, string issue)
    {
        Error ??= WeChatPayError.Param(pointer, value, issue);
        return default;
    }

    private string? Fail(string pointer, JsonNode? value, string issue) => Fail<string>(pointer, value, issue);

    /// <summary>False when an error is already recorded or was just recorded; true with null when absent and optional.</summary>
    private bool Find(string pointer, bool required, out JsonNode? node)
    {
        node = null;
        if (Error is not null)
        {
            return false;
        }

        JsonNode? current = _root;
        var segments = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < segments.Length; i++)
        {
            if (current is not JsonObject obj)
            {
                var parent = "/" + string.Join('/', segments[..i]);
                Fail(parent, current, "must be an object");
                return false;
            }

            current = obj[segments[i]];
            if (current is null)
            {
                if (required)
                {
                    Fail(pointer, null, "is required");
                    return false;
                }

                return true;
            }
        }

        node = current;
        return true;
    }
}
