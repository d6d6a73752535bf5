using Microsoft.Extensions.Options;
using Shop.Hosting;

namespace Shop.Tests.Foundation;

/// <summary>Startup failures an operator can fix end with exit code 2 and one line, whichever check caught them.</summary>
public sealed class ShopHostTests
{
    [Fact]
    public async Task A_setting_that_fails_options_validation_at_startup_exits_2()
    {
        var exit = await ShopHost.RunAsync(() => throw new AggregateException(
            new OptionsValidationException("WeChatPay", typeof(object), ["WeChatPay:ApiV3Key must be 32 characters."])));

        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task A_shop_configuration_error_exits_2_and_anything_else_still_throws()
    {
        Assert.Equal(2, await ShopHost.RunAsync(() => throw new ShopConfigurationException("Orders:NumberKey is missing.")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => ShopHost.RunAsync(() => throw new InvalidOperationException("a bug")));
    }
}
