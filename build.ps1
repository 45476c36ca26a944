#requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, demonstrates and benchmarks the NetworkAsCode module.
.DESCRIPTION
    Tasks:
      Build  builds the solution (warnings are errors) and lays out out/NetworkAsCode, importable by path.
      Test   builds, then runs every xunit, Pester and interop (Nokia's TypeScript SDK) test;
             ends with "Tests: N passed, M failed" and exits non-zero on any failure. The CAMARA conformance
             suite runs when the r3.2 files are found ($env:NAC_CAMARA_SPEC_DIR, else ../shared/spec/camara-qod-r3.2);
             otherwise a "Not run:" line just before the count says so and why.
      Demo   builds, starts the bundled simulator, runs examples/QuickStart.ps1 against it, stops it.
      Package builds, then makes out/packages/NetworkAsCode.<version>.nupkg with PSResourceGet.
      Bench  builds, then runs bench/Invoke-Benchmark.ps1: the module against Invoke-RestMethod, Nokia's
             TypeScript SDK and the floors, side by side; writes out/bench/results.json and docs/benchmarks.md.
    Run it as: dotnet tool restore; dotnet pwsh ./build.ps1 <Task>
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'NetworkAsCode'
$ResultsDir = Join-Path $Out 'test-results'

function Invoke-Native {
    # Runs a native command and fails the build when it fails.
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# Replaces dependencies/NetworkAsCode.Core.dll with its ReadyToRun image for this machine's platform
# (tools/ReadyToRun). Where that cannot be made (no crossgen package for the platform), the IL copy stays:
# the module works the same, its first call just compiles more.
function Write-ReadyToRunCore([string] $dependencies) {
    $rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
    $r2r = Join-Path $Out 'publish/ReadyToRun'
    if (Test-Path $r2r) { Remove-Item $r2r -Recurse -Force }
    & dotnet publish (Join-Path $Root 'tools/ReadyToRun/ReadyToRun.csproj') -c $Configuration -r $rid -o $r2r -nologo -v q
    if ($LASTEXITCODE -eq 0 -and (Test-Path (Join-Path $r2r 'NetworkAsCode.Core.dll'))) {
        Copy-Item (Join-Path $r2r 'NetworkAsCode.Core.dll') $dependencies -Force
    } else {
        Write-Warning "ReadyToRun for $rid failed (exit code $LASTEXITCODE): dependencies/NetworkAsCode.Core.dll stays IL."
    }
}

function Invoke-Build {
    Write-Host '== Build' -ForegroundColor Cyan
    # Warnings are errors through Directory.Build.props (which also says NU1603 from the NuGet mirror is not one).
    Invoke-Native dotnet @('build', (Join-Path $Root 'NacPowerShell.sln'), '-c', $Configuration, '-nologo', '-v', 'q')

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $publish = Join-Path $Out 'publish/NetworkAsCode'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }   # no stale assembly may reach the module
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/NetworkAsCode/NetworkAsCode.csproj'), '-c', $Configuration,
        '--no-build', '-o', $publish, '-nologo', '-v', 'q')
    # Beside the manifest: the cmdlets and the model types scripts name. The HTTP core loads in isolation
    # (src/NetworkAsCode/Infrastructure/DependencyLoader.cs): on PowerShell 7 from dependencies/, precompiled
    # with ReadyToRun (the runtime provides everything it needs); on Windows PowerShell 5.1 from
    # dependencies/desktop/, as IL, with the netstandard2.0 packages it needs there.
    $dependencies = Join-Path $ModuleOut 'dependencies'
    $desktop = Join-Path $dependencies 'desktop'
    New-Item -ItemType Directory -Path $desktop -Force | Out-Null
    $beside = 'NetworkAsCode.dll', 'NetworkAsCode.Model.dll', 'NetworkAsCode.Format.ps1xml', 'NetworkAsCode.Types.ps1xml'
    foreach ($file in Get-ChildItem $publish -File) {
        if ($file.Name -in $beside) { Copy-Item $file.FullName $ModuleOut }
        elseif ($file.Extension -eq '.dll' -and $file.Name -ne 'System.Management.Automation.dll') { Copy-Item $file.FullName $desktop }
    }
    Copy-Item (Join-Path $desktop 'NetworkAsCode.Core.dll') $dependencies
    Write-ReadyToRunCore $dependencies
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut
    Write-Manifest (Join-Path $ModuleOut 'NetworkAsCode.psd1')
    # Help: docs/en-US markdown checked against the built cmdlets and compiled to MAML (fails on missing or stale help).
    Invoke-Native dotnet @('run', '--project', (Join-Path $Root 'tools/HelpGen'), '-c', $Configuration, '--',
        '--assembly', (Join-Path $ModuleOut 'NetworkAsCode.dll'), '--docs', (Join-Path $Root 'docs/en-US'), '--out', (Join-Path $ModuleOut 'en-US'))
    # The simulator travels with the module, so Start-NacSimulator works wherever the module is installed.
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/NetworkAsCode.Simulator/NetworkAsCode.Simulator.csproj'), '-c', $Configuration,
        '--no-build', '-o', (Join-Path $ModuleOut 'simulator'), '-nologo', '-v', 'q')
    Write-Host "Module laid out in $ModuleOut"
}

function Get-Version {
    # One version for the assemblies and the module: VersionPrefix in Directory.Build.props.
    [xml] $props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $props.Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
}

function Get-ReleaseNotes {
    # The newest section of CHANGELOG.md (Keep a Changelog), without its heading.
    $lines = @(Get-Content (Join-Path $Root 'CHANGELOG.md'))
    $headings = @($lines | Select-String -Pattern '^## \[' | ForEach-Object LineNumber)
    if ($headings.Count -eq 0) { throw 'CHANGELOG.md has no "## [version]" section.' }
    $end = if ($headings.Count -gt 1) { $headings[1] - 2 } else { $lines.Count - 1 }
    ($lines[$headings[0]..$end] -join "`n").Trim()
}

function Write-Manifest {
    # The source manifest with the build's version and the CHANGELOG's newest notes stamped in.
    param([string] $Path)
    $text = Get-Content -Raw (Join-Path $Root 'NetworkAsCode.psd1')
    $text = $text -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$(Get-Version)'"
    # Quotes doubled for the psd1 string; $ doubled because -replace reads $_, $1, $' in its replacement.
    $notes = ((Get-ReleaseNotes) -replace "'", "''").Replace('$', '$$')
    $text = $text -replace "ReleaseNotes\s*=\s*'[^']*'", "ReleaseNotes = '$notes'"
    Set-Content -Path $Path -Value $text -Encoding utf8
    $null = Test-ModuleManifest -Path $Path -ErrorAction Stop
}

function Invoke-Package {
    # NetworkAsCode.<version>.nupkg in out/packages, made by PSResourceGet (shipped with pwsh 7.4+) from out/NetworkAsCode.
    Invoke-Build
    $packages = Join-Path $Out 'packages'
    if (Test-Path $packages) { Remove-Item $packages -Recurse -Force }
    New-Item -ItemType Directory -Path $packages | Out-Null
    $repository = 'NetworkAsCodeBuild-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
    try {
        Publish-PSResource -Path $ModuleOut -Repository $repository -SkipDependenciesCheck
    } finally {
        Unregister-PSResourceRepository -Name $repository
    }
    $nupkg = Join-Path $packages "NetworkAsCode.$(Get-Version).nupkg"
    if (-not (Test-Path $nupkg)) { throw "Publish-PSResource did not write $nupkg" }
    Write-Host "Package: $nupkg"
}

function Invoke-Bench {
    Invoke-Build
    $results = Join-Path $Out 'bench'
    & (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath $ModuleOut -OutDir $results
    Copy-Item (Join-Path $results 'benchmarks.md') (Join-Path $Root 'docs/benchmarks.md')
    Write-Host "Results: $(Join-Path $results 'results.json') and docs/benchmarks.md"
}

function Get-TrxCounts {
    param([string] $Path)
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout }
}

# The CAMARA conformance suite is input-driven: it runs the published r3.2 files, which the repository does not hold.
$ConformanceProject = 'NetworkAsCode.Conformance'
$CamaraSpecVariable = 'NAC_CAMARA_SPEC_DIR'

function Get-CamaraSpecDirectory {
    # The folder the conformance suite reads: $env:NAC_CAMARA_SPEC_DIR (a flat folder of the r3.2 files, or a checkout of
    # camaraproject/QualityOnDemand at tag r3.2), else ../shared/spec/camara-qod-r3.2 beside the repository.
    # Returns the folder, or the reason there is none.
    $configured = [Environment]::GetEnvironmentVariable($CamaraSpecVariable)
    if ($configured) {
        # A relative path means relative to where build.ps1 was started; the suite reports a wrong folder itself.
        $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($configured)
        return [pscustomobject]@{ Path = $full; Reason = $null }
    }
    $shared = Join-Path (Split-Path $Root -Parent) 'shared/spec/camara-qod-r3.2'
    if (Test-Path $shared -PathType Container) { return [pscustomobject]@{ Path = $shared; Reason = $null } }
    [pscustomobject]@{
        Path   = $null
        Reason = "the CAMARA QoD r3.2 files were not found: there is no $shared and $CamaraSpecVariable is not set. " +
            "To run it, set $CamaraSpecVariable to a checkout of camaraproject/QualityOnDemand at tag r3.2 (or a folder holding its .feature and .yaml files)."
    }
}

function Invoke-XunitTests {
    $total = [pscustomobject]@{ Passed = 0; Failed = 0; NotRun = @() }
    # The CAMARA conformance run writes its per-feature report (passed, failed, not applicable) here.
    $conformanceSummary = Join-Path $ResultsDir 'conformance-summary.txt'
    $env:NAC_CONFORMANCE_SUMMARY = $conformanceSummary
    $spec = Get-CamaraSpecDirectory
    foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.csproj') {
        Write-Host "== xunit: $($project.BaseName)" -ForegroundColor Cyan
        if ($project.BaseName -eq $ConformanceProject) {
            if (-not $spec.Path) {
                $reason = "the CAMARA conformance suite ($ConformanceProject): $($spec.Reason)"
                Write-Host "Not run: $reason" -ForegroundColor Yellow
                $total.NotRun += $reason
                continue
            }
            $env:NAC_CAMARA_SPEC_DIR = $spec.Path
        }
        $trx = "$($project.BaseName).trx"
        # Every test project is in the solution, which Invoke-Build has just built.
        & dotnet test $project.FullName -c $Configuration --no-build --nologo --logger "trx;LogFileName=$trx" --results-directory $ResultsDir | Out-Host
        $trxPath = Join-Path $ResultsDir $trx
        if (-not (Test-Path $trxPath)) {
            Write-Host "no results from $($project.BaseName): counted as one failure" -ForegroundColor Red
            $total.Failed++
            continue
        }
        $counts = Get-TrxCounts $trxPath
        $total.Passed += $counts.Passed
        $total.Failed += $counts.Failed
    }
    if (Test-Path $conformanceSummary) {
        Write-Host '== CAMARA conformance (per feature)' -ForegroundColor Cyan
        Get-Content $conformanceSummary | Out-Host
    }
    $total
}

function Invoke-PesterTests {
    Write-Host '== Pester' -ForegroundColor Cyan
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/pester/TestPackages.proj'), '-nologo', '-v', 'q')
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $pester = Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1'
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    if (Test-Path $summary) { Remove-Item $summary }
    # A separate process, so the tests import the module fresh and nothing here is locked or shared.
    $runner = Join-Path $Root 'tests/pester/Invoke-PesterSuite.ps1'
    Push-Location $Root   # dotnet finds the pinned pwsh through .config/dotnet-tools.json from here
    try {
        & dotnet pwsh -NoProfile -NonInteractive -File $runner -PesterPath $pester -ModulePath $ModuleOut -SummaryPath $summary | Out-Host
    } finally {
        Pop-Location
    }
    if (-not (Test-Path $summary)) {
        Write-Host 'Pester wrote no summary: counted as one failure' -ForegroundColor Red
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    Get-Content -Raw $summary | ConvertFrom-Json
}

function Invoke-InteropTests {
    # Nokia's own TypeScript SDK (npm network-as-code 10.0.0) driving the simulator and the module.
    Write-Host '== Interop: Nokia TypeScript SDK against the simulator' -ForegroundColor Cyan
    $interop = Join-Path $Root 'tests/interop'
    if (-not (Get-Command npm -ErrorAction Ignore) -or -not (Get-Command node -ErrorAction Ignore)) {
        Write-Host 'Node.js and npm are not on PATH: the interop tests need them (see README, Requirements). Counted as one failure.' -ForegroundColor Red
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    Push-Location $interop
    try {
        & npm ci --no-audit --no-fund --loglevel=error
        if ($LASTEXITCODE -ne 0) {
            Write-Host 'npm ci failed: counted as one failure' -ForegroundColor Red
            return [pscustomobject]@{ Passed = 0; Failed = 1 }
        }
        $tap = & npm test --silent 2>&1 | ForEach-Object { "$_" }
        $tap | Out-Host
    } finally {
        Pop-Location
    }
    $pass = ($tap | Select-String -Pattern '^# pass (\d+)' | Select-Object -Last 1)
    $fail = ($tap | Select-String -Pattern '^# fail (\d+)' | Select-Object -Last 1)
    if (-not $pass -or -not $fail) {
        Write-Host 'the interop run printed no TAP summary: counted as one failure' -ForegroundColor Red
        return [pscustomobject]@{ Passed = 0; Failed = 1 }
    }
    # A test cancelled by its suite's time cap did not pass: it counts as failed.
    $cancelled = ($tap | Select-String -Pattern '^# cancelled (\d+)' | Select-Object -Last 1)
    $cancelledCount = if ($cancelled) { [int]$cancelled.Matches[0].Groups[1].Value } else { 0 }
    [pscustomobject]@{ Passed = [int]$pass.Matches[0].Groups[1].Value; Failed = [int]$fail.Matches[0].Groups[1].Value + $cancelledCount }
}

function Invoke-Test {
    Invoke-Build
    if (Test-Path $ResultsDir) { Remove-Item $ResultsDir -Recurse -Force }
    New-Item -ItemType Directory -Path $ResultsDir -Force | Out-Null
    $results = @(Invoke-XunitTests; Invoke-PesterTests; Invoke-InteropTests)
    $passed = ($results | Measure-Object -Property Passed -Sum).Sum
    $failed = ($results | Measure-Object -Property Failed -Sum).Sum
    $notRun = @($results | Where-Object { $_.PSObject.Properties['NotRun'] } | ForEach-Object NotRun)
    Write-Host ''
    # A suite without its inputs is neither passed nor failed: say so, and why, just before the count,
    # so that the command still ends with the one summary line.
    foreach ($line in $notRun) { Write-Host "Not run: $line" -ForegroundColor Yellow }
    Write-Host "Tests: $passed passed, $failed failed"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Write-Host '== Demo: examples/QuickStart.ps1 against the bundled simulator' -ForegroundColor Cyan
    Import-Module $ModuleOut -Force
    $simulator = Start-NacSimulator
    try {
        Write-Host "Simulator listening on $($simulator.BaseUrl)"
        & (Join-Path $Root 'examples/QuickStart.ps1')
        Write-Host 'Demo finished.' -ForegroundColor Green
    } finally {
        Stop-NacSimulator
    }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Package' { Invoke-Package }
    'Bench' { Invoke-Bench }
}
