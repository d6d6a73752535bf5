using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Tests.Infrastructure;
using Shop.WeChatPay.Notifications;
using Shop.WeChatPay.Signing;
using Shop.WeChatPay.Verification;

namespace Shop.Tests.WeChatPay.Simulator.Support;

/// <summary>One notification as the receiver got it: the parse result (verified + decrypted, or why not) and its answer.</summary>
internal sealed record ReceivedNotification(NotificationResult Result, string Body, string? Serial, string? OutTradeNo, int Answer)
{
    public string NotificationId => Result.Notification!.Envelope.Id;
}

/// <summary>
/// A tiny notify_url on Kestrel, handling notifications the way the shop must: raw body → verify → decrypt with the
/// real parser, a non-2xx FAIL answer when that fails, otherwise the answer scripted for the order (default 204).
/// </summary>
internal sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _answers = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _holds = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();

    private NotificationReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedNotification> Received { get; } = new();

    public Uri NotifyUrl { get; private set; } = null!;

    /// <summary>Set once the merchant side exists (it needs the simulator's public key file first).</summary>
    public WeChatPayNotificationParser? Parser { get; set; }

    public static async Task<NotificationReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var receiver = new NotificationReceiver(builder.Build());
        receiver._app.MapPost("/wechatpay/notify", (Delegate)receiver.HandleAsync);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.NotifyUrl = new Uri(new Uri(address), "/wechatpay/notify");
        return receiver;
    }

    /// <summary>Answer the order's next valid notifications with these statuses, then 204 again.</summary>
    public void AnswerNext(string outTradeNo, params int[] statuses)
    {
        var queue = _answers.GetOrAdd(outTradeNo, _ => new ConcurrentQueue<int>());
        foreach (var status in statuses)
        {
            queue.Enqueue(status);
        }
    }

    /// <summary>Take this long to answer the order's notifications (a slow receiver, to make overlap observable).</summary>
    public void Hold(string outTradeNo, TimeSpan time) => _holds[outTradeNo] = time;

    public int MaxConcurrent(string outTradeNo) => _maxInFlight.GetValueOrDefault(outTradeNo);

    public IReadOnlyList<ReceivedNotification> For(string outTradeNo) => Received.Where(r => r.OutTradeNo == outTradeNo).ToList();

    public Task<IReadOnlyList<ReceivedNotification>> WaitForAsync(string outTradeNo, int count) =>
        Poll.UntilAsync(() => Task.FromResult(For(outTradeNo)), r => r.Count >= count, what: $"{count} notification(s) for {outTradeNo}");

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var result = await Parser!.ParseAsync(SignatureHeaders.From(name => context.Request.Headers[name].ToString()), body);
        var outTradeNo = result.Notification is { } n ? n.IsTransaction ? n.ReadTransaction().OutTradeNo : n.ReadRefund().OutTradeNo : null;
        var answer = result.IsValid ? 204 : 401;
        if (outTradeNo is not null)
        {
            var now = _inFlight.AddOrUpdate(outTradeNo, 1, (_, c) => c + 1);
            _maxInFlight.AddOrUpdate(outTradeNo, now, (_, max) => Math.Max(max, now));
            if (_holds.TryGetValue(outTradeNo, out var hold))
            {
                await Task.Delay(hold);
            }

            _inFlight.AddOrUpdate(outTradeNo, 0, (_, c) => c - 1);
            if (_answers.TryGetValue(outTradeNo, out var scripted) && scripted.TryDequeue(out var status))
            {
                answer = status;
            }
        }

        Received.Enqueue(new ReceivedNotification(result, System.Text.Encoding.UTF8.GetString(body), context.Request.Headers[WeChatPayHeaders.Serial], outTradeNo, answer));
        return answer is >= 200 and < 300
            ? Results.StatusCode(answer)
            : Results.Content(result.IsValid ? """{"code":"FAIL","message":"scripted failure"}""" : result.FailBody, "application/json", statusCode: answer);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
