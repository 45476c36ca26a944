@{
    # Import baseline for bench/Invoke-Benchmark.ps1: a manifest module with no root module and no exports.
    ModuleVersion     = '1.0.0'
    GUID              = '0d8f3c1e-6a2b-4c53-8f4e-1b7a9e2d5c60'
    Author            = 'NetworkAsCode benchmark'
    Description       = 'An empty manifest module.'
    PowerShellVersion = '5.1'
    CmdletsToExport   = @()
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
