namespace Shop.Hosting;

public static class ShopHost
{
    /// <summary>
    /// Runs a host and turns configuration errors into one readable line and exit code 2,
    /// so an operator sees "what to fix" rather than a stack trace.
    /// </summary>
    public static Task<int> RunAsync(Func<Task> run) => RunAsync(async () =>
    {
        await run();
        return 0;
    });

    public static async Task<int> RunAsync(Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception ex) when (FindConfigurationError(ex) is { } error)
        {
            await Console.Error.WriteLineAsync($"Startup failed: {error}");
            return 2;
        }
    }

    /// <summary>Our own configuration errors, and settings that failed options validation at startup (ValidateOnStart).</summary>
    private static string? FindConfigurationError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is ShopConfigurationException config)
            {
                return config.Message;
            }

            if (ex is Microsoft.Extensions.Options.OptionsValidationException invalid)
            {
                return string.Join(" ", invalid.Failures);
            }

            if (ex is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            {
                return FindConfigurationError(aggregate.InnerExceptions[0]);
            }
        }

        return null;
    }
}
