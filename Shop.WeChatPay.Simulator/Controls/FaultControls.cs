using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.WeChatPay.Simulator.Controls;

/// <summary>
/// "WeChat Pay has a bad moment": the next <see cref="Count"/> signed /v3 requests whose path starts with
/// <see cref="PathPrefix"/> (and whose method is <see cref="Method"/>, when given) are answered with a signed 500
/// SYSTEM_ERROR. With <see cref="AfterProcessing"/> the request takes effect first and only the answer is lost (the
/// caller cannot tell whether e.g. its refund exists), otherwise it never takes effect.
/// </summary>
public sealed record FaultCommand(
    [property: JsonPropertyName("path_prefix")] string? PathPrefix,
    string? Method = null,
    int Count = 1,
    bool AfterProcessing = false);

/// <summary>The armed faults; requests take them one at a time, oldest first.</summary>
internal sealed class SimulatorFaults
{
    private readonly Lock _gate = new();
    private readonly List<ArmedFault> _faults = [];

    public void Arm(FaultCommand command)
    {
        lock (_gate)
        {
            _faults.Add(new ArmedFault(command.PathPrefix!, command.Method?.ToUpperInvariant(), command.Count, command.AfterProcessing));
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

internal sealed class ArmedFault(string pathPrefix, string? method, int count, bool afterProcessing)
{
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

        faults.Arm(command);
        return TypedResults.NoContent();
    }
}
