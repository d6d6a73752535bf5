using Npgsql;
using Shop.Grains.Interfaces.Infrastructure;

namespace Shop.Grains.Storage;

/// <summary>
/// Which exceptions mean "PostgreSQL is not available right now" rather than a bug, and their translation into the one
/// exception type that can cross a grain boundary (<see cref="InfrastructureUnavailableException"/>).
/// </summary>
public static class InfrastructureFailures
{
    /// <summary>
    /// Connection failures, pool exhaustion and timeouts, and server errors of the classes that say the server cannot
    /// serve now (08 connection, 40 serialization/deadlock, 53 insufficient resources such as 53300 too many clients,
    /// 57 operator intervention such as a shutdown, 58 system error). Constraint or syntax errors stay what they are.
    /// </summary>
    public static bool IsInfrastructure(Exception exception)
    {
        for (Exception? ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case PostgresException postgres:
                    return postgres.SqlState[..2] is "08" or "40" or "53" or "57" or "58";
                case NpgsqlException:
                case TimeoutException:
                    return true;
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    return IsInfrastructure(aggregate.InnerExceptions[0]);
            }
        }

        return false;
    }

    /// <summary>The exception to hand to a caller in another process: ours when it is infrastructure, else unchanged.</summary>
    public static Exception Translate(Exception exception) => exception is not InfrastructureUnavailableException && IsInfrastructure(exception)
        ? new InfrastructureUnavailableException($"PostgreSQL is unavailable: {Describe(exception)}")
        : exception;

    private static string Describe(Exception exception) =>
        exception is PostgresException postgres ? $"{postgres.SqlState} {postgres.MessageText}" : exception.Message;
}
