using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.Payments.Reconciliation;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>The queue of differences: listing newest bill date first (keyset pages) and an operator's resolution.</summary>
public sealed partial class ReconciliationStore
{
    public async Task<DifferencePage> ListDifferencesAsync(DifferenceQuery query, CancellationToken ct = default)
    {
        var (afterDate, afterId) = ParseCursor(query.After);
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: $"""
            SELECT {DifferenceColumns} FROM reconciliation_differences
            WHERE (@status::text IS NULL OR status = @status) AND (@date::date IS NULL OR bill_date = @date)
              AND (@after_date::date IS NULL OR bill_date < @after_date OR (bill_date = @after_date AND id > @after_id))
            ORDER BY bill_date DESC, id LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)query.Status ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("date", NpgsqlDbType.Date) { Value = query.BillDate is { } d ? DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_date", NpgsqlDbType.Date) { Value = (object?)afterDate ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Text) { Value = (object?)afterId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", query.Limit + 1);
        var items = await ReadDifferencesAsync(command, ct);
        var more = items.Count > query.Limit;
        var page = more ? items.Take(query.Limit).ToList() : items;
        return new DifferencePage(page, more ? $"{page[^1].BillDate}:{page[^1].Id}" : null);
    }

    public static bool IsCursor(string? after) => after is null || ParseCursor(after).Date is not null;

    private static (DateOnly? Date, string? Id) ParseCursor(string? after) =>
        after is { Length: > 11 } && after[10] == ':' && DateOnly.TryParseExact(after[..10], "yyyy-MM-dd", out var date) ? (date, after[11..]) : (null, null);

    public async Task<ResolveOutcome> ResolveAsync(string id, string resolvedBy, string resolution, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: $"""
            UPDATE reconciliation_differences SET status = 'resolved', resolved_by = @by, resolved_at = @now, resolution = @why, updated_at = @now
            WHERE id = @id AND status = 'open' RETURNING {DifferenceColumns}
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("by", resolvedBy);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("why", resolution);
        if ((await ReadDifferencesAsync(command, ct)).FirstOrDefault() is { } resolved)
        {
            return new ResolveOutcome(ResolveStatus.Resolved, resolved);
        }

        await using var find = new NpgsqlCommand(connection: connection, cmdText: $"SELECT {DifferenceColumns} FROM reconciliation_differences WHERE id = @id");
        find.Parameters.AddWithValue("id", id);
        return (await ReadDifferencesAsync(find, ct)).FirstOrDefault() is { } existing
            ? new ResolveOutcome(ResolveStatus.NotOpen, existing)
            : new ResolveOutcome(ResolveStatus.NotFound, null);
    }

    private static async Task<List<DifferenceView>> ReadDifferencesAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var items = new List<DifferenceView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            items.Add(new DifferenceView(reader.GetString(0), reader.GetFieldValue<DateOnly>(1).ToString("yyyy-MM-dd"), reader.GetString(2),
                Text(reader, 3), Text(reader, 4), Text(reader, 5), reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetInt64(7),
                reader.GetString(8), reader.GetString(9), Text(reader, 10), reader.GetFieldValue<DateTimeOffset>(11), Text(reader, 12),
                reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13), Text(reader, 14)));
        }

        return items;
    }

    private static string? Text(NpgsqlDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
}
