using System.Net;
using System.Collections.Concurrent;

namespace Shop.Tests.WeChatPay.Support;

/// <summary>The far end of an in-memory HttpClient: records exactly what went on the wire and answers with a canned response.</summary>
internal sealed class CapturingHandler(Func<HttpRequestMessage, HttpResponseMessage>? respond = null) : HttpMessageHandler
{
    public sealed record Sent(string Method, string Target, string? Authorization, string? Serial, string? Accept, string? UserAgent, byte[] Body);

    public ConcurrentQueue<Sent> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        Requests.Enqueue(new Sent(
            request.Method.Method,
            request.RequestUri!.PathAndQuery,
            Header(request, "Authorization"),
            Header(request, "Wechatpay-Serial"),
            Header(request, "Accept"),
            Header(request, "User-Agent"),
            body));
        var response = respond?.Invoke(request) ?? new HttpResponseMessage(HttpStatusCode.NoContent);
        response.RequestMessage ??= request;
        return response;
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(" ", values) : null;
}
