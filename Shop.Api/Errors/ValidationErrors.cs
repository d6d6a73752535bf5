namespace Shop.Api.Errors;

/// <summary>
/// Collects field errors of a request. Field names are the JSON names the client sent (camelCase, dotted for
/// nested fields) so a storefront can put each message next to its input.
/// </summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public ValidationErrors Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return this;
    }

    public ValidationErrors Check(bool valid, string field, string message) => valid ? this : Add(field, message);

    /// <summary>Present, not blank, and at most <paramref name="maxLength"/> characters.</summary>
    public ValidationErrors Required(string field, string? value, int maxLength = 200)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Add(field, "Required.");
        }

        return Check(value.Length <= maxLength, field, $"At most {maxLength} characters.");
    }

    public ValidationErrors Range(string field, long? value, long min, long max) =>
        value is null ? Add(field, "Required.") : Check(value >= min && value <= max, field, $"Must be between {min} and {max}.");

    public ValidationErrors OneOf(string field, string? value, IReadOnlyCollection<string> allowed) =>
        Check(value is not null && allowed.Contains(value), field, $"Must be one of: {string.Join(", ", allowed)}.");

    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    public override string ToString() => string.Join("; ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
}
