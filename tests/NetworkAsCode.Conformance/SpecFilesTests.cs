using System;
using System.IO;
using NetworkAsCode.Conformance.Engine;
using Xunit;

namespace NetworkAsCode.Conformance;

/// <summary>The spec files are found in a flat folder and in a camaraproject/QualityOnDemand checkout alike.</summary>
public sealed class SpecFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nac-spec-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void A_flat_folder_holds_every_file()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "qos-profiles.yaml"), "");
        File.WriteAllText(Path.Combine(_root, "quality-on-demand-getSession.feature"), "");

        Assert.Equal(Path.Combine(_root, "qos-profiles.yaml"), SpecFiles.Resolve(_root, "qos-profiles.yaml"));
        Assert.Equal(Path.Combine(_root, "quality-on-demand-getSession.feature"), SpecFiles.Resolve(_root, "quality-on-demand-getSession.feature"));
    }

    [Fact]
    public void A_QualityOnDemand_checkout_keeps_features_and_yaml_under_code()
    {
        var tests = Directory.CreateDirectory(Path.Combine(_root, "code", "Test_definitions")).FullName;
        var apis = Directory.CreateDirectory(Path.Combine(_root, "code", "API_definitions")).FullName;
        File.WriteAllText(Path.Combine(apis, "quality-on-demand.yaml"), "");
        File.WriteAllText(Path.Combine(tests, "quality-on-demand-createSession.feature"), "");

        Assert.Equal(Path.Combine(apis, "quality-on-demand.yaml"), SpecFiles.Resolve(_root, "quality-on-demand.yaml"));
        Assert.Equal(Path.Combine(tests, "quality-on-demand-createSession.feature"), SpecFiles.Resolve(_root, "quality-on-demand-createSession.feature"));
        Assert.Null(SpecFiles.Resolve(_root, "qos-profiles.yaml"));
    }
}
