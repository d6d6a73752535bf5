using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.Ids;
using Shop.Grains.Interfaces.Payments.Reconciliation;

namespace Shop.Grains.Payments.Reconciliation;

/// <summary>
/// The reconciliation tables (deploy/sql/0050_reconciliation.sql) and the reads of the orders table the matching needs.
/// Everything a run writes goes in one transaction at its end, so a run that dies half-way leaves the previous
/// result untouched and is simply redone.
/// </summary>
public sealed partial class ReconciliationStore(string connectionString)
{
    public const string SystemActor = "system:reconciliation";
    private const string RunColumns =
        "bill_date, status, attempt, requested_by, started_at, finished_at, trade_rows, fund_rows, matched, differences, settled, error, waiting_since";
    private const string DifferenceColumns =
        "id, bill_date, kind, out_trade_no, out_refund_no, transaction_id, bill_fen, shop_fen, detail, status, settlement, found_at, resolved_by, resolved_at, resolution";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// From the connection-string pool the Orleans providers and the event log share, not a data source of its own: the
    /// silo's connection budget (Database:MaxPoolSize) is split across a fixed number of pools.
    /// </summary>
    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    public async Task<BillRunView?> GetRunAsync(DateOnly date, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: $"SELECT {RunColumns} FROM reconciliation_runs WHERE bill_date = @d");
        command.Parameters.AddWithValue("d", date);
        return (await ReadRunsAsync(command, ct)).FirstOrDefault();
    }

    public async Task<IReadOnlyList<BillRunView>> ListRunsAsync(int limit, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: $"SELECT {RunColumns} FROM reconciliation_runs ORDER BY bill_date DESC LIMIT @l");
        command.Parameters.AddWithValue("l", limit);
        return await ReadRunsAsync(command, ct);
    }

    /// <summary>
    /// Marks the date running (a new attempt), keeping the previous counts until this attempt completes, and the time it
    /// has waited for WeChat Pay's bills unless <paramref name="restartWait"/>.
    /// </summary>
    public async Task<BillRunView> BeginRunAsync(DateOnly date, string requestedBy, DateTimeOffset now, bool restartWait = false, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: $"""
            INSERT INTO reconciliation_runs (bill_date, status, attempt, requested_by, started_at) VALUES (@d, 'running', 1, @by, @now)
            ON CONFLICT (bill_date) DO UPDATE SET status = 'running', attempt = reconciliation_runs.attempt + 1,
                requested_by = EXCLUDED.requested_by, started_at = EXCLUDED.started_at, finished_at = NULL, error = NULL,
                waiting_since = CASE WHEN @restart THEN NULL ELSE reconciliation_runs.waiting_since END
            RETURNING {RunColumns}
            """);
        command.Parameters.AddWithValue("d", date);
        command.Parameters.AddWithValue("by", requestedBy);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("restart", restartWait);
        return (await ReadRunsAsync(command, ct))[0];
    }

    public async Task FailRunAsync(DateOnly date, string error, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: 
            "UPDATE reconciliation_runs SET status = 'failed', finished_at = @now, error = @e WHERE bill_date = @d");
        command.Parameters.AddWithValue("d", date);
        command.Parameters.AddWithValue("now", now);
        command.Parameters.AddWithValue("e", error.Length > 2000 ? error[..2000] : error);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The run's result, atomically: the bill rows replace the date's earlier ones; each finding updates the record of
    /// the same difference (date, kind, reference) or adds one; open differences of the date that this run no longer
    /// finds are resolved by the job; the run is marked completed with its counts. Returns the findings that are news: a
    /// difference not recorded before, or an open one the job has now settled (what the differences counter counts, so
    /// a re-run does not count the same difference again).
    /// </summary>
    public async Task<IReadOnlyList<Finding>> CompleteRunAsync(DateOnly date, IReadOnlyList<StoredBillRow> rows, IReadOnlyList<Finding> findings, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var delete = new NpgsqlCommand("DELETE FROM reconciliation_bill_rows WHERE bill_date = @d", connection, transaction))
        {
            delete.Parameters.AddWithValue("d", date);
            await delete.ExecuteNonQueryAsync(ct);
        }

        foreach (var batch in rows.Chunk(1000))
        {
            await InsertRowsAsync(connection, transaction, date, batch, ct);
        }

        var news = await UpsertFindingsAsync(connection, transaction, date, findings, now, ct);
        await using (var run = new NpgsqlCommand("""
            UPDATE reconciliation_runs SET status = 'completed', finished_at = @now, error = NULL, waiting_since = NULL, trade_rows = @trade, fund_rows = @fund,
                matched = @matched, differences = @differences, settled = @settled
            WHERE bill_date = @d
            """, connection, transaction))
        {
            run.Parameters.AddWithValue("d", date);
            run.Parameters.AddWithValue("now", now);
            run.Parameters.AddWithValue("trade", rows.Count(r => r.Bill == "trade"));
            run.Parameters.AddWithValue("fund", rows.Count(r => r.Bill == "fund"));
            run.Parameters.AddWithValue("matched", rows.Count(r => r.Matched));
            run.Parameters.AddWithValue("differences", findings.Count);
            run.Parameters.AddWithValue("settled", findings.Count(f => f.Status == DifferenceStatuses.Settled));
            await run.ExecuteNonQueryAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return news;
    }

    private static async Task InsertRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly date, StoredBillRow[] rows, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand("""
            INSERT INTO reconciliation_bill_rows (bill_date, bill, row_no, occurred_at, business_no, out_trade_no, out_refund_no, state, amount_fen,
                fee_milli_fen, matched, row_data)
            SELECT @d, r.bill, r.row_no, r.occurred_at, r.business_no, r.out_trade_no, r.out_refund_no, r.state, r.amount_fen, r.fee, r.matched, r.data::jsonb
            FROM unnest(@bills, @nos, @at, @business, @trade, @refund, @states, @amounts, @fees, @matched, @data)
                AS r(bill, row_no, occurred_at, business_no, out_trade_no, out_refund_no, state, amount_fen, fee, matched, data)
            """, connection, transaction);
        insert.Parameters.AddWithValue("d", date);
        insert.Parameters.AddWithValue("bills", rows.Select(r => r.Bill).ToArray());
        insert.Parameters.AddWithValue("nos", rows.Select(r => r.RowNo).ToArray());
        insert.Parameters.AddWithValue("at", rows.Select(r => r.OccurredAt.ToUniversalTime()).ToArray());
        insert.Parameters.AddWithValue("business", rows.Select(r => r.BusinessNo).ToArray());
        insert.Parameters.Add(new NpgsqlParameter("trade", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.OutTradeNo ?? DBNull.Value).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("refund", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.OutRefundNo ?? DBNull.Value).ToArray() });
        insert.Parameters.AddWithValue("states", rows.Select(r => r.State).ToArray());
        insert.Parameters.AddWithValue("amounts", rows.Select(r => r.AmountFen).ToArray());
        insert.Parameters.AddWithValue("fees", rows.Select(r => r.FeeMilliFen).ToArray());
        insert.Parameters.AddWithValue("matched", rows.Select(r => r.Matched).ToArray());
        insert.Parameters.AddWithValue("data", rows.Select(r => r.RowJson).ToArray());
        await insert.ExecuteNonQueryAsync(ct);
    }

    private static async Task<List<Finding>> UpsertFindingsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DateOnly date,
        IReadOnlyList<Finding> findings, DateTimeOffset now, CancellationToken ct)
    {
        // Only this date's run writes its differences (one grain per date), so what is read here is what the upserts change.
        var before = new Dictionary<(string Kind, string Reference), string>();
        await using (var read = new NpgsqlCommand("SELECT kind, reference, status FROM reconciliation_differences WHERE bill_date = @d", connection, transaction))
        {
            read.Parameters.AddWithValue("d", date);
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                before[(reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
            }
        }

        var news = findings.Where(f => !before.TryGetValue((f.Kind, f.Reference), out var status)
            || (status == DifferenceStatuses.Open && f.Status != DifferenceStatuses.Open)).ToList();
        foreach (var f in findings)
        {
            // An operator's resolution stands; an open difference the job has now settled becomes settled.
            await using var upsert = new NpgsqlCommand("""
                INSERT INTO reconciliation_differences (id, bill_date, kind, reference, out_trade_no, out_refund_no, transaction_id, bill_fen, shop_fen,
                    detail, status, settlement, found_at, updated_at)
                VALUES (@id, @d, @kind, @ref, @trade, @refund, @tx, @bill, @shop, @detail, @status, @settlement, @now, @now)
                ON CONFLICT (bill_date, kind, reference) DO UPDATE SET detail = EXCLUDED.detail, bill_fen = EXCLUDED.bill_fen, shop_fen = EXCLUDED.shop_fen,
                    status = CASE WHEN reconciliation_differences.status = 'open' THEN EXCLUDED.status ELSE reconciliation_differences.status END,
                    settlement = COALESCE(reconciliation_differences.settlement, EXCLUDED.settlement), updated_at = EXCLUDED.updated_at
                """, connection, transaction);
            upsert.Parameters.AddWithValue("id", RandomId.New("rd_"));
            upsert.Parameters.AddWithValue("d", date);
            upsert.Parameters.AddWithValue("kind", f.Kind);
            upsert.Parameters.AddWithValue("ref", f.Reference);
            upsert.Parameters.AddWithValue("trade", (object?)f.OutTradeNo ?? DBNull.Value);
            upsert.Parameters.AddWithValue("refund", (object?)f.OutRefundNo ?? DBNull.Value);
            upsert.Parameters.AddWithValue("tx", (object?)f.TransactionId ?? DBNull.Value);
            upsert.Parameters.AddWithValue("bill", (object?)f.BillFen ?? DBNull.Value);
            upsert.Parameters.AddWithValue("shop", (object?)f.ShopFen ?? DBNull.Value);
            upsert.Parameters.AddWithValue("detail", f.Detail);
            upsert.Parameters.AddWithValue("status", f.Status);
            upsert.Parameters.AddWithValue("settlement", (object?)f.Settlement ?? DBNull.Value);
            upsert.Parameters.AddWithValue("now", now);
            await upsert.ExecuteNonQueryAsync(ct);
        }

        await using var vanished = new NpgsqlCommand("""
            UPDATE reconciliation_differences SET status = 'resolved', resolved_by = @by, resolved_at = @now, updated_at = @now,
                resolution = 'not found again when the date was reconciled again'
            WHERE bill_date = @d AND status = 'open' AND NOT ((kind, reference) IN (SELECT * FROM unnest(@kinds, @refs)))
            """, connection, transaction);
        vanished.Parameters.AddWithValue("d", date);
        vanished.Parameters.AddWithValue("by", SystemActor);
        vanished.Parameters.AddWithValue("now", now);
        vanished.Parameters.AddWithValue("kinds", findings.Select(f => f.Kind).ToArray());
        vanished.Parameters.AddWithValue("refs", findings.Select(f => f.Reference).ToArray());
        await vanished.ExecuteNonQueryAsync(ct);
        return news;
    }

    /// <summary>
    /// Open differences, the latest bill date reconciled completely, and how many dates of the look-back window have no
    /// completed run (for the metrics).
    /// </summary>
    public async Task<(long Open, DateOnly? LastCompleted, long Unreconciled)> HealthAsync(DateOnly due, DateOnly lookBackFrom, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: $"""
            SELECT (SELECT count(*) FROM reconciliation_differences WHERE status = 'open'),
                   (SELECT max(bill_date) FROM reconciliation_runs WHERE status = 'completed'),
                   (SELECT count(*) FROM ({UnreconciledSql}) u)
            """);
        command.Parameters.AddWithValue("due", due);
        command.Parameters.AddWithValue("from", lookBackFrom);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateOnly>(1), reader.GetInt64(2));
    }

    /// <summary>
    /// The dates from <paramref name="lookBackFrom"/> to <paramref name="due"/> without a completed run, oldest first, with
    /// their run's status and when its last attempt started (null: never run). At most one row per day of the window.
    /// </summary>
    public async Task<IReadOnlyList<UnreconciledDate>> UnreconciledDatesAsync(DateOnly due, DateOnly lookBackFrom, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(connection: connection, cmdText: UnreconciledSql + " ORDER BY bill_date");
        command.Parameters.AddWithValue("due", due);
        command.Parameters.AddWithValue("from", lookBackFrom);
        var dates = new List<UnreconciledDate>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            dates.Add(new UnreconciledDate(reader.GetFieldValue<DateOnly>(0), reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return dates;
    }

    /// <summary>
    /// Days of the window without a completed run. The window starts at @from but not before the first date ever run (a
    /// shop is not sent back into days before reconciliation was deployed), and always includes @due itself, even when the
    /// only runs are of later dates (an operator's run of today).
    /// </summary>
    private const string UnreconciledSql = """
        SELECT d.day::date AS bill_date, r.status, r.started_at
        FROM generate_series(GREATEST(@from::date, LEAST(COALESCE((SELECT min(bill_date) FROM reconciliation_runs), @due::date), @due::date)),
                             @due::date, interval '1 day') AS d(day)
        LEFT JOIN reconciliation_runs r ON r.bill_date = d.day::date
        WHERE r.status IS DISTINCT FROM 'completed'
        """;

    private static async Task<List<BillRunView>> ReadRunsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var runs = new List<BillRunView>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new BillRunView(reader.GetFieldValue<DateOnly>(0).ToString("yyyy-MM-dd"), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.GetInt32(6),
                reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9), reader.GetInt32(10), reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12)));
        }

        return runs;
    }
}
