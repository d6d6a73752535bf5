using Orleans.Concurrency;
using Shop.Grains.Interfaces.Orders;

namespace Shop.Grains.Interfaces.Shipping;

/// <summary>
/// One customer's address book (keyed by the token subject): at most <c>Shipping:MaxAddresses</c> addresses, exactly
/// one of them the default while there is any. Stored encrypted like order addresses.
/// </summary>
[Alias("Shop.Shipping.IAddressBookGrain")]
public interface IAddressBookGrain : IGrainWithStringKey
{
    [ReadOnly, Alias("List")]
    Task<IReadOnlyList<SavedAddress>> ListAsync();

    /// <summary>The address, or null when this book has no such id.</summary>
    [ReadOnly, Alias("Get")]
    Task<SavedAddress?> GetAsync(string addressId);

    /// <summary>Adds an address (already validated and resolved by the caller) under <paramref name="addressId"/> (<see cref="SavedAddress.NewId"/>).</summary>
    [Alias("Add")]
    Task<AddressBookOutcome> AddAsync(string addressId, ShippingAddress address, bool makeDefault);

    [Alias("Replace")]
    Task<AddressBookOutcome> ReplaceAsync(string addressId, ShippingAddress address, bool makeDefault);

    /// <summary>Removes an address; when it was the default, the most recently added remaining one becomes the default.</summary>
    [Alias("Remove")]
    Task<AddressBookOutcome> RemoveAsync(string addressId);
}

[GenerateSerializer, Immutable, Alias("Shop.Shipping.SavedAddress")]
public sealed record SavedAddress(
    [property: Id(0)] string Id,
    [property: Id(1)] ShippingAddress Address,
    [property: Id(2)] bool IsDefault,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt)
{
    public const string IdPrefix = "ad";

    public static string NewId() => Ids.RandomId.New(IdPrefix);

    public static bool IsValidId(string? id) => Ids.RandomId.IsValid(id, IdPrefix);
}

[GenerateSerializer, Alias("Shop.Shipping.AddressBookOutcomeStatus")]
public enum AddressBookOutcomeStatus
{
    Ok = 0,
    NotFound = 1,

    /// <summary>The book already holds <c>Shipping:MaxAddresses</c> addresses.</summary>
    Full = 2,
}

[GenerateSerializer, Immutable, Alias("Shop.Shipping.AddressBookOutcome")]
public sealed record AddressBookOutcome(
    [property: Id(0)] AddressBookOutcomeStatus Status,
    [property: Id(1)] SavedAddress? Address = null,
    [property: Id(2)] int Limit = 0);
