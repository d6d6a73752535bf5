namespace Shop.Grains.Interfaces.PersonalData;

/// <summary>
/// An operator is about to see a customer's decrypted personal data. <see cref="CustomerId"/> may be left null when
/// <see cref="OrderNo"/> names the order: the silo reads the owner from the order itself, never from the caller.
/// </summary>
/// <param name="Purpose">What the read was: <see cref="PersonalDataPurposes"/>.</param>
[GenerateSerializer, Immutable, Alias("Shop.PersonalData.PersonalDataAccessRequest")]
public sealed record PersonalDataAccessRequest(
    [property: Id(0)] string Admin,
    [property: Id(1)] string? CustomerId,
    [property: Id(2)] string? OrderNo,
    [property: Id(3)] IReadOnlyList<string> Fields,
    [property: Id(4)] string Purpose,
    [property: Id(5)] string? Reason,
    [property: Id(6)] string? TraceId);

/// <summary>One audited read: who (admin subject) saw whose (customer user id) which fields, when, why, in which trace.</summary>
[GenerateSerializer, Immutable, Alias("Shop.PersonalData.PersonalDataAccess")]
public sealed record PersonalDataAccess(
    [property: Id(0)] long Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Admin,
    [property: Id(3)] string CustomerId,
    [property: Id(4)] string? OrderNo,
    [property: Id(5)] IReadOnlyList<string> Fields,
    [property: Id(6)] string Purpose,
    [property: Id(7)] string? Reason,
    [property: Id(8)] string? TraceId);

/// <summary>Newest first; <see cref="Before"/> is the id of the last record of the previous page (keyset paging).</summary>
[GenerateSerializer, Immutable, Alias("Shop.PersonalData.PersonalDataAccessQuery")]
public sealed record PersonalDataAccessQuery(
    [property: Id(0)] string? Customer,
    [property: Id(1)] string? Admin,
    [property: Id(2)] DateTimeOffset? From,
    [property: Id(3)] DateTimeOffset? To,
    [property: Id(4)] long? Before,
    [property: Id(5)] int Size);

[GenerateSerializer, Immutable, Alias("Shop.PersonalData.PersonalDataAccessPage")]
public sealed record PersonalDataAccessPage(
    [property: Id(0)] IReadOnlyList<PersonalDataAccess> Items,
    [property: Id(1)] long? NextBefore);

public static class PersonalDataPurposes
{
    /// <summary>An order answered to an admin with its shipping address (detail, or the answer of an admin action).</summary>
    public const string OrderRead = "order-read";

    /// <summary>A whole personal-data export made by an admin on behalf of the customer.</summary>
    public const string AdminExport = "admin-export";
}

/// <summary>
/// The audit log of operators' reads of personal data (table <c>personal_data_access</c>; stateless: any silo answers).
/// A record is written before the data is shown: when it cannot be written, the read must fail.
/// </summary>
[Alias("Shop.PersonalData.IPersonalDataAuditGrain")]
public interface IPersonalDataAuditGrain : IGrainWithIntegerKey
{
    public const int MaxPageSize = 200;

    /// <summary>Writes the record; null when nothing was logged (the admin read their own order: not an operator access).</summary>
    [Alias("Record")]
    Task<PersonalDataAccess?> RecordAsync(PersonalDataAccessRequest request);

    [Alias("List")]
    Task<PersonalDataAccessPage> ListAsync(PersonalDataAccessQuery query);
}
