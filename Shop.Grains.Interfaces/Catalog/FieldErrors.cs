namespace Shop.Grains.Interfaces.Catalog;

/// <summary>Messages per field (JSON field names of the HTTP contract), collected while checking a request.</summary>
internal sealed class FieldErrors(Dictionary<string, string[]> initial)
{
    private readonly Dictionary<string, List<string>> _found = initial.ToDictionary(e => e.Key, e => e.Value.ToList());

    public int Count => _found.Sum(f => f.Value.Count);

    public void Fail(string field, string message)
    {
        if (!_found.TryGetValue(field, out var list))
        {
            _found[field] = list = [];
        }

        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => _found.ToDictionary(f => f.Key, f => f.Value.Distinct().ToArray());
}
