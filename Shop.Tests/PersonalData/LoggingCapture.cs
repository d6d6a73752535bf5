using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Shop.Tests.PersonalData;

/// <summary>
/// Records everything a host logs, as an operator's log store would keep it: the category, the formatted message,
/// every structured value, every scope around it and the exception with its stack.
/// </summary>
public sealed class LoggingCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<string> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>The entries that contain any of <paramref name="secrets"/>.</summary>
    public IReadOnlyList<string> Containing(params string[] secrets) =>
        [.. Entries.Where(e => secrets.Any(s => e.Contains(s, StringComparison.Ordinal)))];

    private static void AppendValues(StringBuilder text, object? state)
    {
        text.Append(" | ").Append(state);
        if (state is IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                text.Append(' ').Append(key).Append('=').Append(value is System.Collections.IEnumerable list and not string
                    ? string.Join(",", list.Cast<object?>())
                    : value);
            }
        }
    }

    private sealed class Logger(string category, LoggingCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder(category).Append(' ').Append(logLevel).Append(": ").Append(formatter(state, exception));
            AppendValues(text, state);
            owner._scopes.ForEachScope((scope, builder) => AppendValues(builder, scope), text);
            if (exception is not null)
            {
                text.Append(" | ").Append(exception);
            }

            owner.Entries.Enqueue(text.ToString());
        }
    }
}
