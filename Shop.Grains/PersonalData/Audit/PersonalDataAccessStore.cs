using Npgsql;
using NpgsqlTypes;
using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.PersonalData.Audit;

/// <summary>The append-only log of operators' reads of personal data.</summary>
public interface IPersonalDataAccessStore
{
    Task<PersonalDataAccess> AppendAsync(PersonalDataAccessRequest request, string customerId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<PersonalDataAccessPage> ListAsync(PersonalDataAccessQuery query, CancellationToken cancellationToken);
}

/// <summary><c>personal_data_access</c> (deploy/sql/0070_personal_data_access.sql); one INSERT per read, committed before the answer.</summary>
public sealed class PostgresPersonalDataAccessStore(string connectionString) : IPersonalDataAccessStore
{
    private const string Columns = "id, at, admin_id, customer_id, order_no, fields, purpose, reason, trace_id";

    public async Task<PersonalDataAccess> AppendAsync(PersonalDataAccessRequest request, string customerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            return await AppendOnceAsync(request, customerId, at, cancellationToken);
        }
        catch (NpgsqlException ex) when (ex.IsTransient && !cancellationToken.IsCancellationRequested)
        {
            // A pooled connection that died with the server (a restart, a failover) fails its first command, and the
            // pool's other idle connections died with it: a fresh connection decides. At worst (the answer of a
            // committed insert lost on the way back) the read is recorded twice, never not at all.
            NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
            return await AppendOnceAsync(request, customerId, at, cancellationToken);
        }
    }

    private async Task<PersonalDataAccess> AppendOnceAsync(PersonalDataAccessRequest request, string customerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO personal_data_access (at, admin_id, customer_id, order_no, fields, purpose, reason, trace_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = at });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Admin });
        command.Parameters.Add(new NpgsqlParameter { Value = customerId });
        command.Parameters.Add(Text(request.OrderNo));
        command.Parameters.Add(new NpgsqlParameter { Value = request.Fields.ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = request.Purpose });
        command.Parameters.Add(Text(request.Reason));
        command.Parameters.Add(Text(request.TraceId));
        var id = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new PersonalDataAccess(id, at, request.Admin, customerId, request.OrderNo, request.Fields, request.Purpose, request.Reason, request.TraceId);
    }

    public async Task<PersonalDataAccessPage> ListAsync(PersonalDataAccessQuery query, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT {Columns} FROM personal_data_access
            WHERE ($1::text IS NULL OR customer_id = $1) AND ($2::text IS NULL OR admin_id = $2)
              AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
              AND ($5::bigint IS NULL OR id < $5)
            ORDER BY id DESC LIMIT $6
            """, connection);
        command.Parameters.Add(Text(query.Customer));
        command.Parameters.Add(Text(query.Admin));
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.From ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)query.To ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint, Value = (object?)query.Before ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = query.Size });
        var items = new List<PersonalDataAccess>(query.Size);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new PersonalDataAccess(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                NullableText(reader, 4), reader.GetFieldValue<string[]>(5), reader.GetString(6), NullableText(reader, 7), NullableText(reader, 8)));
        }

        return new PersonalDataAccessPage(items, items.Count == query.Size ? items[^1].Id : null);
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

/// <summary>The embedded mode's log: this process only, gone at exit (like everything in that mode).</summary>
public sealed class InMemoryPersonalDataAccessStore : IPersonalDataAccessStore
{
    private readonly Lock _gate = new();
    private readonly List<PersonalDataAccess> _records = [];

    public Task<PersonalDataAccess> AppendAsync(PersonalDataAccessRequest request, string customerId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var record = new PersonalDataAccess(_records.Count + 1, at, request.Admin, customerId, request.OrderNo, request.Fields,
                request.Purpose, request.Reason, request.TraceId);
            _records.Add(record);
            return Task.FromResult(record);
        }
    }

    public Task<PersonalDataAccessPage> ListAsync(PersonalDataAccessQuery query, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var items = _records.AsEnumerable().Reverse()
                .Where(r => (query.Customer is null || r.CustomerId == query.Customer) && (query.Admin is null || r.Admin == query.Admin)
                    && (query.From is null || r.At >= query.From) && (query.To is null || r.At < query.To) && (query.Before is null || r.Id < query.Before))
                .Take(query.Size).ToList();
            return Task.FromResult(new PersonalDataAccessPage(items, items.Count == query.Size ? items[^1].Id : null));
        }
    }
}
