using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Shop.Tests.Infrastructure;

namespace Shop.Tests.Foundation;

public sealed class TracingTests
{
    [Fact]
    public async Task One_trace_spans_the_http_request_and_the_grain_call_it_makes()
    {
        var seen = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = seen.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var cluster = await ShopTestCluster.StartAsync(embedded: true);
        using var http = cluster.CreateClient(TestTokens.Admin());
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/admin/products/{Shop.Grains.Interfaces.Catalog.ProductId.New()}/stock");
        // The caller's trace (as a storefront or gateway in front of us would send it in traceparent).
        using var caller = new Activity("storefront").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start();

        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var inTrace = await Poll.UntilAsync(() => Task.FromResult(seen.Where(a => a.TraceId == traceId).ToList()),
            list => list.Any(a => a.Kind == ActivityKind.Client) && list.Any(a => a.Kind == ActivityKind.Server),
            timeout: TimeSpan.FromSeconds(10), what: "client and server grain-call activities in the request's trace: seen " +
                string.Join(", ", seen.Where(a => a.Source.Name == "Microsoft.Orleans.Application").Select(a => $"{a.Kind}/{a.DisplayName}/{a.TraceId}/{a.ParentId}")));
        Assert.Contains(inTrace, a => a.Kind == ActivityKind.Server && a.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
    }
}
