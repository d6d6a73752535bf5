using System.Reflection;

namespace Shop.Benchmarks.Hosts;

/// <summary>
/// Where the built hosts are: the repository's <c>Shop.Silo/bin/{Configuration}/net10.0</c> etc., in the configuration this
/// tool was built in (its project references build them alongside).
/// </summary>
public static class BuildOutput
{
    public static string Configuration { get; } =
        typeof(BuildOutput).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string Dll(string project) =>
        Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", project + ".dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Shop.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Shop.sln not found above {AppContext.BaseDirectory}: run the tool from the repository's build output.");
    }
}
