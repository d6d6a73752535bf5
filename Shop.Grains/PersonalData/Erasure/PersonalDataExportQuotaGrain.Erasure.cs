using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.PersonalData.Export;

/// <summary>
/// Erasure of the export budget: its storage row is keyed by the user id (the openid for WeChat users), and after
/// erasure there is nothing left to export, so the times go with it.
/// </summary>
public sealed partial class PersonalDataExportQuotaGrain : IPersonalDataHolderGrain
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
