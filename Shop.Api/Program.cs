using Shop.Api.Hosting;
using Shop.Hosting;

return await ShopHost.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddShopApi();
    var app = builder.Build();
    app.MapShopApi();
    await app.RunAsync();
});
