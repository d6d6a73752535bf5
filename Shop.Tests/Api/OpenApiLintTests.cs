using System.Net;
using Shop.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Shop.Tests.Api;

/// <summary>
/// The document integrators generate clients from passes Redocly's <c>recommended</c> ruleset: any error fails, and so
/// does any warning, because every rule the project chose not to follow is switched off, with its reason, in
/// <c>redocly.yaml</c> at the repository root.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiLintTests(ApiClusters clusters, ITestOutputHelper output)
{
    [Fact]
    public async Task Deployed_document_is_lint_clean() => await AssertLintCleanAsync(await clusters.Testing, "testing");

    /// <summary>Development adds the dev token route; it is documented to the same standard.</summary>
    [Fact]
    public async Task Development_document_is_lint_clean() => await AssertLintCleanAsync(await clusters.Development, "development");

    private async Task AssertLintCleanAsync(ShopTestCluster host, string name)
    {
        using var response = await host.CreateClient().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Kept in the test output, so a failure in CI can be looked at.
        var path = Path.Combine(AppContext.BaseDirectory, "openapi", $"{name}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, await response.Content.ReadAsStringAsync());

        var report = await RedoclyCli.LintAsync(path, Path.Combine(AppContext.BaseDirectory, "redocly.yaml"));

        foreach (var problem in report.Problems)
        {
            output.WriteLine(problem.ToString());
        }

        Assert.Equal(RedoclyCli.Version, report.Version);
        Assert.True(report.Problems.Count == 0,
            $"Redocly {report.Version} found {report.Totals.Errors} errors and {report.Totals.Warnings} warnings in {path}:\n" +
            string.Join('\n', report.Problems));
    }
}
