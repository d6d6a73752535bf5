using Shop.Api.Auth;
using Shop.Api.Hosting;
using Shop.Hosting;

if (TokenCommand.IsInvoked(args))
{
    return await ShopHost.RunAsync(() => TokenCommand.RunAsync(args));
}

return await ShopHost.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddShopApi();
    var app = builder.Build();
    app.MapShopApi();
    await app.RunAsync();
});
