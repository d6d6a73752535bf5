using System.Net;
using Refit;
using Shop.Client;

namespace Shop.Tests.Api;

/// <summary>Asserts that a response is problem details with the given status and code, as a client would read it.</summary>
public static class Problems
{
    public static async Task<ShopApiProblem> AssertAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(ShopApiProblem.MediaType, response.Content.Headers.ContentType?.MediaType);
        var problem = await ShopApiProblem.ReadAsync(response);
        Assert.NotNull(problem);
        Assert.Equal((int)status, problem.Status);
        Assert.Equal(code, problem.Code);
        Assert.False(string.IsNullOrEmpty(problem.Title));
        Assert.False(string.IsNullOrEmpty(problem.TraceId));
        return problem;
    }

    public static async Task<ShopApiProblem> AssertThrowsAsync(Func<Task> call, HttpStatusCode status, string code)
    {
        var exception = await Assert.ThrowsAnyAsync<ApiException>(call);
        Assert.Equal(status, exception.StatusCode);
        var problem = ShopApiProblem.FromException(exception);
        Assert.NotNull(problem);
        Assert.Equal(code, problem.Code);
        Assert.False(string.IsNullOrEmpty(problem.TraceId));
        return problem;
    }
}
