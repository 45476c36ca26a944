@{
    RootModule        = 'TrivialModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '5b0f7a52-0d55-4f0e-9a43-2f6f1c1d7e13'
    Author            = 'NetworkAsCode benchmark'
    Description       = 'Import baseline for bench/Invoke-Benchmark.ps1: one binary cmdlet, nothing else.'
    PowerShellVersion = '5.1'
    CmdletsToExport   = @('Get-TrivialValue')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
