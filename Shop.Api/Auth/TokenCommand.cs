using Shop.Hosting;

namespace Shop.Api.Auth;

/// <summary>
/// <c>dotnet run --project Shop.Api -- token --sub u1 --role admin [--minutes 60]</c>: prints a token signed with
/// the host's own Auth:* settings, read exactly as the host reads them (appsettings.json, appsettings.{Environment}.json,
/// user secrets in Development, environment variables).
/// </summary>
public static class TokenCommand
{
    private const string Usage = "usage: token --sub <subject> --role <customer|admin> [--minutes <1-1440>]";

    public static bool IsInvoked(string[] args) => args is ["token", ..];

    public static Task<int> RunAsync(string[] args) => Task.FromResult(Run(args, Console.Out, Console.Error));

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (!TryParse(args[1..], out var sub, out var role, out var minutes, out var problem))
        {
            error.WriteLine(problem);
            error.WriteLine(Usage);
            return 1;
        }

        var errors = ShopTokenIssuer.Check(sub, role, minutes);
        if (!errors.IsValid)
        {
            error.WriteLine(errors.ToString());
            error.WriteLine(Usage);
            return 1;
        }

        // The host's configuration pipeline, without starting a host.
        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] }).Configuration;
        var issuer = new ShopTokenIssuer(ShopAuthOptions.FromConfiguration(configuration), TimeProvider.System);
        output.WriteLine(issuer.Issue(sub!, role!, minutes).AccessToken);
        return 0;
    }

    private static bool TryParse(string[] args, out string? sub, out string? role, out int? minutes, out string problem)
    {
        sub = role = null;
        minutes = null;
        problem = "";
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length)
            {
                problem = $"{args[i]} needs a value";
                return false;
            }

            var value = args[i + 1];
            switch (args[i])
            {
                case "--sub":
                    sub = value;
                    break;
                case "--role":
                    role = value;
                    break;
                case "--minutes" when int.TryParse(value, out var parsed):
                    minutes = parsed;
                    break;
                case "--minutes":
                    problem = $"--minutes '{value}' is not a whole number";
                    return false;
                default:
                    problem = $"unknown option {args[i]}";
                    return false;
            }
        }

        return true;
    }
}
