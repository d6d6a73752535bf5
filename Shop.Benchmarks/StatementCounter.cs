using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Shop.Benchmarks;

/// <summary>Counts the SQL commands (Npgsql's ActivitySource) sent to one database while it is listening.</summary>
public sealed class StatementCounter : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, int> _byStatement = new();
    private int _count;

    public StatementCounter(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("db.name") ?? activity.GetTagItem("db.namespace"), database))
                {
                    Interlocked.Increment(ref _count);
                    var sql = (activity.GetTagItem("db.statement") ?? activity.GetTagItem("db.query.text")) as string ?? "?";
                    _byStatement.AddOrUpdate(sql.Split('\n')[0].Trim(), 1, (_, n) => n + 1);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Statements per operation, by the first line of their text, most frequent first.</summary>
    public string Breakdown(int operations) => string.Join(Environment.NewLine, _byStatement.OrderByDescending(p => p.Value).Take(12)
        .Select(p => $"    {(double)p.Value / operations,6:N3} × {(p.Key.Length > 110 ? p.Key[..110] : p.Key)}"));

    public void Dispose() => _listener.Dispose();
}
