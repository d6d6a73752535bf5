using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.WeChatPay.Simulator.Protocol;

namespace Shop.WeChatPay.Simulator.Controls;

/// <summary>
/// "WeChat Pay has a bad moment": the next <see cref="Count"/> signed /v3 requests whose path starts with
/// <see cref="PathPrefix"/> (and whose method is <see cref="Method"/>, when given) are answered with a signed error,
/// 500 SYSTEM_ERROR unless <see cref="Status"/>/<see cref="Code"/> say otherwise (e.g. 403 NOT_ENOUGH: the merchant's
/// balance cannot cover a refund). With <see cref="AfterProcessing"/> the request takes effect first and only the
/// answer is lost (the caller cannot tell whether e.g. its refund exists), otherwise it never takes effect. With
/// <see cref="DelayMs"/> WeChat Pay hangs instead: the request is held that long (or until the caller gives up) and
/// then handled normally, status and code unused.
/// </summary>
public sealed record FaultCommand(
    [property: JsonPropertyName("path_prefix")] string? PathPrefix,
    string? Method = null,
    int Count = 1,
    bool AfterProcessing = false,
    int Status = 500,
    string? Code = null,
    int DelayMs = 0);

/// <summary>The armed faults; requests take them one at a time, oldest first.</summary>
internal sealed class SimulatorFaults
{
    private readonly Lock _gate = new();
    private readonly List<ArmedFault> _faults = [];

    public void Arm(FaultCommand command)
    {
        lock (_gate)
        {
            var error = command.Status == 500 && command.Code is null
                ? WeChatPayError.SystemError()
                : new WeChatPayError(command.Status, command.Code ?? "SYSTEM_ERROR", "simulated failure");
            _faults.Add(new ArmedFault(command.PathPrefix!, command.Method?.ToUpperInvariant(), command.Count, command.AfterProcessing, error,
                TimeSpan.FromMilliseconds(command.DelayMs)));
        }
    }

    /// <summary>The fault this request runs into, if any (using one of its count up).</summary>
    public ArmedFault? Take(string method, PathString path)
    {
        lock (_gate)
        {
            var fault = _faults.Find(f => f.Left > 0 && (f.Method is null || f.Method == method) && path.StartsWithSegments(f.PathPrefix));
            if (fault is not null && --fault.Left == 0)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }
}

internal sealed class ArmedFault(string pathPrefix, string? method, int count, bool afterProcessing, WeChatPayError error, TimeSpan delay)
{
    /// <summary>Non-zero: a hang, not an error.</summary>
    public TimeSpan Delay { get; } = delay;

    public WeChatPayError Error { get; } = error;

    public string PathPrefix { get; } = pathPrefix;

    public string? Method { get; } = method;

    public bool AfterProcessing { get; } = afterProcessing;

    public int Left { get; set; } = count;
}

internal static class FaultControls
{
    public static RouteGroupBuilder MapFaultControls(this RouteGroupBuilder controls)
    {
        controls.MapPost("/faults", Arm);
        controls.MapDelete("/faults", (SimulatorFaults faults) =>
        {
            faults.Clear();
            return TypedResults.NoContent();
        });
        return controls;
    }

    private static Results<NoContent, ProblemHttpResult> Arm(FaultCommand command, SimulatorFaults faults)
    {
        if (command.PathPrefix is not { Length: > 1 } prefix || !prefix.StartsWith("/v3/", StringComparison.Ordinal))
        {
            return ControlProblems.Invalid("path_prefix must be a /v3/ path");
        }

        if (command.Count is < 1 or > 1000)
        {
            return ControlProblems.Invalid("count must be 1-1000");
        }

        if (command.DelayMs is < 0 or > 600_000)
        {
            return ControlProblems.Invalid("delay_ms must be 0-600000");
        }

        if (command.Status is < 400 or > 599 || command.Code is { Length: 0 })
        {
            return ControlProblems.Invalid("status must be 400-599 and code, when given, not empty");
        }

        faults.Arm(command);
        return TypedResults.NoContent();
    }
}
