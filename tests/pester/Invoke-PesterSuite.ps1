<#
.SYNOPSIS
    Runs every *.Tests.ps1 in this folder with Pester 5 against the built module, and writes
    {"Passed": n, "Failed": m} to -SummaryPath. Started by build.ps1 Test in its own pwsh process.
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
# The tests import the module from here; nothing else on this machine is used.
$env:NAC_TEST_MODULE = (Resolve-Path $ModulePath).Path
# The NuGet cache Pester came from also holds the other packages of TestPackages.proj.
$env:NAC_TEST_PACKAGES = (Resolve-Path (Join-Path (Split-Path $PesterPath) '../../..')).Path
foreach ($name in 'NAC_TOKEN', 'NAC_ENV', 'NAC_BASE_URL') { Remove-Item "env:$name" -ErrorAction Ignore }

$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath) 'pester.xml'
$result = Invoke-Pester -Configuration $config

$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed } | ConvertTo-Json | Set-Content -Path $SummaryPath
