using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.Shipping;

/// <summary>
/// Erasure of an address book: every saved address goes (nothing in it is accounting), and the erasure then deletes
/// the emptied storage row, whose key is the user id.
/// </summary>
public sealed partial class AddressBookGrain : IPersonalDataHolderGrain
{
    public async Task ErasePersonalDataAsync(string? pseudonym)
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
    }
}
