using Microsoft.Extensions.Options;
using Shop.WeChatPay.Simulator.Hosting;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddWeChatPaySimulator();
    var app = builder.Build();
    app.MapWeChatPaySimulator();
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // One line per wrong setting, naming the key, instead of a stack trace.
    await Console.Error.WriteLineAsync("Startup failed:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", ex.Failures));
    return 2;
}
