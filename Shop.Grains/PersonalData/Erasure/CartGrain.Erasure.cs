using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.Cart;

/// <summary>Erasure of a cart: its row goes (the erasure then deletes the emptied storage row, whose key is the user id).</summary>
public sealed partial class CartGrain : IPersonalDataHolderGrain
{
    public async Task ErasePersonalDataAsync(string? pseudonym)
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }
}
