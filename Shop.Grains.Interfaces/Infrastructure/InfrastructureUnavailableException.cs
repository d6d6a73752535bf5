namespace Shop.Grains.Interfaces.Infrastructure;

/// <summary>
/// A dependency of the silo (PostgreSQL: refused, too many clients, shut down, timed out) failed a call. Callers may
/// retry later; whether a write that failed this way committed is unknown to the silo too, so only idempotent requests
/// (an Idempotency-Key, a read) can be repeated blindly. Npgsql's own exceptions have no Orleans codec and would reach
/// the caller as a serialization failure, so grains and stores throw this instead; the cause stays in the silo's log.
/// </summary>
[GenerateSerializer, Alias("Shop.InfrastructureUnavailableException")]
public sealed class InfrastructureUnavailableException : Exception
{
    public InfrastructureUnavailableException(string message)
        : base(message)
    {
    }
}
