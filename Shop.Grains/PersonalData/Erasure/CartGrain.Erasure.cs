using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.Cart;

/// <summary>Erasure of a cart: its row goes (the erasure then deletes the emptied storage row, whose key is the user id).</summary>
public sealed partial class CartGrain : IPersonalDataHolderGrain
{
    public async Task ErasePersonalDataAsync(string? pseudonym)
    {
        // A cart never stored (or already erased: its row is deleted) has nothing to clear.
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
    }
}
