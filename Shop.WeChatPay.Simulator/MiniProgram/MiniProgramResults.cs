using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Shop.WeChatPay.Simulator.MiniProgram;

/// <summary>The mini-program server API answers HTTP 200 with errcode/errmsg ("rid" as WeChat appends it).</summary>
internal static class MiniProgramResults
{
    public static IResult Error(int errcode, string errmsg) => Results.Json(new JsonObject
    {
        ["errcode"] = errcode,
        ["errmsg"] = $"{errmsg} rid: {RandomNumberGenerator.GetHexString(8, lowercase: true)}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}",
    });

    public static IResult Ok(JsonObject? body = null)
    {
        body ??= [];
        body["errcode"] = 0;
        body["errmsg"] = "ok";
        return Results.Json(body);
    }

    public static string TokenMessage(int errcode) => errcode == 42001 ? "access_token expired" : "invalid credential, access_token is invalid or not latest";
}

/// <summary>"WeChat has a bad moment" for the mini-program API: the next requests fail with an HTTP status or an errcode.</summary>
internal sealed class MiniProgramFaults
{
    private readonly Lock _gate = new();
    private int _left;
    private int _status;
    private int _errcode;
    private string? _path;

    public void Arm(int count, int status, int errcode, string? path)
    {
        lock (_gate)
        {
            (_left, _status, _errcode, _path) = (count, status, errcode, path);
        }
    }

    public void Clear() => Arm(0, 0, 0, null);

    /// <summary>The failure this request runs into, if any.</summary>
    public IResult? Take(HttpRequest request)
    {
        lock (_gate)
        {
            if (_left <= 0 || (_path is not null && !request.Path.StartsWithSegments(_path)))
            {
                return null;
            }

            _left--;
            return _status != 200 ? Results.StatusCode(_status) : MiniProgramResults.Error(_errcode, "system error");
        }
    }
}
