namespace Shop.Tests.Deploy;

/// <summary>Files of the repository the tests run from (deploy/ manifests, rules, Dockerfiles, appsettings).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Shop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"Shop.sln not found above {AppContext.BaseDirectory}");
    }
}
