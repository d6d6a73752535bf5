using Shop.Grains.Interfaces.PersonalData;

namespace Shop.Grains.Payments.WeChatPay;

/// <summary>Erasure of a payment: the payer's openid goes; the transaction, amounts and refunds stay (accounting keeps them).</summary>
public sealed partial class OrderPaymentGrain : IPersonalDataHolderGrain
{
    public async Task ErasePersonalDataAsync(string? pseudonym)
    {
        if (state.State.PayerOpenId is not null)
        {
            state.State = state.State with { PayerOpenId = null };
            await state.WriteStateAsync();
        }
    }
}
