using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>
/// Finds the published CAMARA QoD r3.2 files (feature files and OpenAPI YAML). They are never copied into the repository.
/// Where: the folder named by <c>NAC_CAMARA_SPEC_DIR</c>, else <c>../shared/spec/camara-qod-r3.2</c> beside the repository
/// root (an ancestor of the test's base directory). Two layouts are read: a flat folder holding all the files, or a checkout
/// of camaraproject/QualityOnDemand at tag r3.2 (feature files in <c>code/Test_definitions</c>, YAML in
/// <c>code/API_definitions</c>). build.ps1 Test runs this suite only when one of the two places exists.
/// </summary>
public static class SpecFiles
{
    public const string EnvironmentVariable = "NAC_CAMARA_SPEC_DIR";
    public const string Release = "camara-qod-r3.2";

    /// <summary>Where each kind of file lives inside a camaraproject/QualityOnDemand checkout.</summary>
    private static readonly string[] CheckoutFolders = [Path.Combine("code", "Test_definitions"), Path.Combine("code", "API_definitions")];

    private static readonly Lazy<string> LazyDirectory = new(Locate);

    /// <summary>The folder given or found (flat folder or checkout root).</summary>
    public static string Directory => LazyDirectory.Value;

    public static string PathOf(string fileName) => Resolve(Directory, fileName)
        ?? throw new FileNotFoundException(
            $"{fileName} is in neither {Directory} nor its {string.Join(" or ", CheckoutFolders)} (a QualityOnDemand checkout at tag r3.2).",
            fileName);

    /// <summary>The file in a flat folder or in a QualityOnDemand checkout; null when absent.</summary>
    public static string? Resolve(string root, string fileName) =>
        new[] { root }.Concat(CheckoutFolders.Select(f => Path.Combine(root, f)))
            .Select(folder => Path.Combine(folder, fileName))
            .FirstOrDefault(File.Exists);

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return System.IO.Directory.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new DirectoryNotFoundException($"{EnvironmentVariable}={configured} does not exist.");
        }

        foreach (var candidate in SharedCandidates())
        {
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"The CAMARA spec folder ../shared/spec/{Release} was not found next to the repository root (searched upwards from " +
            $"{AppContext.BaseDirectory}). Set {EnvironmentVariable} to a folder holding the r3.2 files, or to a checkout of " +
            "camaraproject/QualityOnDemand at tag r3.2.");
    }

    /// <summary>shared/spec/&lt;release&gt; beside the repository root (the folder holding NacPowerShell.sln), then beside any ancestor.</summary>
    private static IEnumerable<string> SharedCandidates()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NacPowerShell.sln")) && dir.Parent is not null)
            {
                yield return Path.Combine(dir.Parent.FullName, "shared", "spec", Release);
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            yield return Path.Combine(dir.FullName, "shared", "spec", Release);
        }
    }
}
