using Shop.Grains.Interfaces.PersonalData;
using Shop.Grains.Orders;

namespace Shop.Grains.AfterSales;

/// <summary>Erasure of a request: the customer's note, photos and return tracking number go; the lines, money and moves stay.</summary>
public sealed partial class AfterSalesGrain : IPersonalDataHolderGrain
{
    public async Task ErasePersonalDataAsync(string? pseudonym)
    {
        if (_request is null)
        {
            return;
        }

        var erased = OrderGrain.WithoutPersonalData(_request, _request.UserId, pseudonym ?? _request.UserId);
        if (erased.UserId != _request.UserId || erased.Note != _request.Note || erased.PhotoUrls.Count != _request.PhotoUrls.Count
            || erased.ReturnShipment?.TrackingNo != _request.ReturnShipment?.TrackingNo)
        {
            await SaveAsync(erased);
        }
    }
}
