using Npgsql;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>A date whose bills WeChat Pay is still making (deploy/sql/0085_reconciliation_waiting.sql).</summary>
public sealed partial class ReconciliationStore
{
    /// <summary>The bills are not made yet: the date waits (WeChat Pay's answer as its error). Returns when it began waiting.</summary>
    public async Task<DateTimeOffset> WaitRunAsync(DateOnly date, string answer, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: """
            UPDATE reconciliation_runs SET status = 'waiting', finished_at = @now, error = @e, waiting_since = COALESCE(waiting_since, @now)
            WHERE bill_date = @d RETURNING waiting_since
            """);
        command.Parameters.AddWithValue("d", date);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("e", answer.Length > 2000 ? answer[..2000] : answer);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetFieldValue<DateTimeOffset>(0) : now;
    }
}
