@{
    RootModule        = 'TrivialModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '0c6c2f0e-6b8e-4f43-9f4e-5d0b7a3c2a91'
    Author            = 'NetworkAsCode benchmark'
    Description       = 'Import baseline for bench/Invoke-Benchmark.ps1: the trivial module plus a format file with one table view and a types file with one default display property set, the two kinds of file the module ships. What PowerShell does at import for any such files; the view is never used.'
    PowerShellVersion = '5.1'
    FormatsToProcess  = @('TrivialModule.Format.ps1xml')
    TypesToProcess    = @('TrivialModule.Types.ps1xml')
    CmdletsToExport   = @('Get-TrivialValue')
    FunctionsToExport = @()
    AliasesToExport   = @()
    VariablesToExport = @()
}
