using System;
using System.IO;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>
/// Finds the published CAMARA QoD r3.2 files (feature files and OpenAPI YAML). They are never copied into the repository:
/// they live in <c>../shared/spec/camara-qod-r3.2</c> relative to the repository root, which is an ancestor of the test's
/// base directory. <c>NAC_CAMARA_SPEC_DIR</c> overrides the location.
/// </summary>
public static class SpecFiles
{
    public const string EnvironmentVariable = "NAC_CAMARA_SPEC_DIR";
    public const string Release = "camara-qod-r3.2";

    private static readonly Lazy<string> LazyDirectory = new(Locate);

    public static string Directory => LazyDirectory.Value;

    public static string PathOf(string fileName) => System.IO.Path.Combine(Directory, fileName);

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return System.IO.Directory.Exists(configured)
                ? System.IO.Path.GetFullPath(configured)
                : throw new DirectoryNotFoundException($"{EnvironmentVariable}={configured} does not exist.");
        }

        // Prefer the repository root (the folder holding NacPowerShell.sln): its sibling "shared" folder.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "NacPowerShell.sln")) && dir.Parent is not null)
            {
                var candidate = System.IO.Path.Combine(dir.Parent.FullName, "shared", "spec", Release);
                if (System.IO.Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        // Otherwise any ancestor with shared/spec/<release>.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "spec", Release);
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"The CAMARA spec folder ../shared/spec/{Release} was not found next to the repository root (searched upwards from " +
            $"{AppContext.BaseDirectory}). Set {EnvironmentVariable} to its path.");
    }
}
