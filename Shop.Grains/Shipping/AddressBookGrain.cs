using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Shop.Grains.Interfaces.Orders;
using Shop.Grains.Interfaces.Shipping;
using Shop.Grains.Orders;

namespace Shop.Grains.Shipping;

/// <summary>One saved address as stored: name, phone and street detail encrypted, bound to the book and the address id.</summary>
[GenerateSerializer, Immutable, Alias("Shop.Shipping.StoredAddress")]
public sealed record StoredAddress(
    [property: Id(0)] string Id,
    [property: Id(1)] ProtectedShippingAddress Address,
    [property: Id(2)] bool IsDefault,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt);

[GenerateSerializer, Immutable, Alias("Shop.Shipping.AddressBookState")]
public sealed record AddressBookState
{
    /// <summary>Oldest first.</summary>
    [Id(0)]
    public ImmutableList<StoredAddress> Addresses { get; init; } = [];
}

/// <summary>A customer's address book (see <see cref="IAddressBookGrain"/>); plaintext exists only in memory answers.</summary>
public sealed partial class AddressBookGrain(
    [PersistentState("addressBook")] IPersistentState<AddressBookState> state,
    PersonalDataProtector protector,
    TimeProvider time,
    IOptions<ShippingOptions> options) : Grain, IAddressBookGrain
{
    private ImmutableList<StoredAddress> Addresses => state.State.Addresses;

    public Task<IReadOnlyList<SavedAddress>> ListAsync() =>
        Task.FromResult<IReadOnlyList<SavedAddress>>([.. Addresses.OrderByDescending(a => a.IsDefault).ThenByDescending(a => a.CreatedAt).Select(Open)]);

    public Task<SavedAddress?> GetAsync(string addressId) =>
        Task.FromResult(Addresses.Find(a => a.Id == addressId) is { } found ? Open(found) : null);

    public async Task<AddressBookOutcome> AddAsync(string addressId, ShippingAddress address, bool makeDefault)
    {
        if (!SavedAddress.IsValidId(addressId))
        {
            throw new ArgumentException($"'{addressId}' is not an address id.", nameof(addressId));
        }

        if (Addresses.Find(a => a.Id == addressId) is { } existing)
        {
            return new AddressBookOutcome(AddressBookOutcomeStatus.Ok, Open(existing));
        }

        var limit = options.Value.MaxAddresses;
        if (Addresses.Count >= limit)
        {
            return new AddressBookOutcome(AddressBookOutcomeStatus.Full, Limit: limit);
        }

        var now = time.GetUtcNow();
        // The first address is the default: there is always exactly one while the book is not empty.
        var isDefault = makeDefault || Addresses.IsEmpty;
        var added = new StoredAddress(addressId, Seal(addressId, address), isDefault, now, now);
        await WriteAsync(Defaults(Addresses, isDefault).Add(added));
        return new AddressBookOutcome(AddressBookOutcomeStatus.Ok, Open(added));
    }

    public async Task<AddressBookOutcome> ReplaceAsync(string addressId, ShippingAddress address, bool makeDefault)
    {
        var index = Addresses.FindIndex(a => a.Id == addressId);
        if (index < 0)
        {
            return new AddressBookOutcome(AddressBookOutcomeStatus.NotFound);
        }

        var existing = Addresses[index];
        // Unsetting the default is done by making another address the default.
        var replaced = existing with { Address = Seal(addressId, address), IsDefault = existing.IsDefault || makeDefault, UpdatedAt = time.GetUtcNow() };
        await WriteAsync(Defaults(Addresses, makeDefault).SetItem(index, replaced));
        return new AddressBookOutcome(AddressBookOutcomeStatus.Ok, Open(replaced));
    }

    public async Task<AddressBookOutcome> RemoveAsync(string addressId)
    {
        var existing = Addresses.Find(a => a.Id == addressId);
        if (existing is null)
        {
            return new AddressBookOutcome(AddressBookOutcomeStatus.NotFound);
        }

        var rest = Addresses.Remove(existing);
        if (existing.IsDefault && !rest.IsEmpty)
        {
            var newest = rest.MaxBy(a => a.CreatedAt)!;
            rest = rest.Replace(newest, newest with { IsDefault = true });
        }

        await WriteAsync(rest);
        return new AddressBookOutcome(AddressBookOutcomeStatus.Ok, Open(existing) with { IsDefault = false });
    }

    private static ImmutableList<StoredAddress> Defaults(ImmutableList<StoredAddress> addresses, bool clear) =>
        clear ? addresses.ConvertAll(a => a.IsDefault ? a with { IsDefault = false } : a) : addresses;

    private async Task WriteAsync(ImmutableList<StoredAddress> addresses)
    {
        var previous = state.State;
        state.State = previous with { Addresses = addresses };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
    }

    private string Context(string addressId, string field) => $"addressbook:{this.GetPrimaryKeyString()}:{addressId}:{field}";

    private ProtectedShippingAddress Seal(string id, ShippingAddress a) => new(
        protector.Protect(a.Name, Context(id, "name")), protector.Protect(a.Phone, Context(id, "phone")),
        a.Province, a.City, a.District, protector.Protect(a.Detail, Context(id, "detail")), a.RegionCode);

    private SavedAddress Open(StoredAddress stored)
    {
        var a = stored.Address;
        var address = new ShippingAddress(
            protector.Unprotect(a.Name, Context(stored.Id, "name")), protector.Unprotect(a.Phone, Context(stored.Id, "phone")),
            a.Province, a.City, a.District, protector.Unprotect(a.Detail, Context(stored.Id, "detail")), a.RegionCode);
        return new SavedAddress(stored.Id, address, stored.IsDefault, stored.CreatedAt, stored.UpdatedAt);
    }
}
