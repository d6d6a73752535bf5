namespace Shop.Grains.Storage;

/// <summary>
/// Runs a batch as few statements as possible while no statement holds one key twice: PostgreSQL refuses an
/// INSERT … ON CONFLICT DO UPDATE that touches a row twice, and a second UPDATE of a row in one statement is lost.
/// Nearly always one pass: two writes of one key in the same instant are two activations of one grain, for a moment.
/// </summary>
public static class BatchedByKey
{
    public static async Task<IReadOnlyList<TResult>> RunAsync<TItem, TResult>(
        IReadOnlyList<TItem> batch, Func<TItem, string> key, Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> run)
    {
        var results = new TResult[batch.Count];
        var left = Enumerable.Range(0, batch.Count).ToList();
        while (left.Count > 0)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pass = left.Where(i => seen.Add(key(batch[i]))).ToList();
            var answers = await run([.. pass.Select(i => batch[i])]);
            for (var k = 0; k < pass.Count; k++)
            {
                results[pass[k]] = answers[k];
            }

            left = [.. left.Except(pass)];
        }

        return results;
    }
}
