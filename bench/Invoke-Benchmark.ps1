#requires -Version 7.0
<#
.SYNOPSIS
    Benchmarks the NetworkAsCode module against the alternatives and the floors of its stack, side by side.
.DESCRIPTION
    Runs everything on this machine in one go (issues 7, 10 and 13) and prints the tables and the targets:
      import      whole processes, interleaved, median: `pwsh -NoProfile -Command exit`, then Import-Module of an
                  empty manifest module (bench/EmptyModule), of a trivial binary module with one cmdlet
                  (bench/TrivialModule, built here), of the same with a format and a types file, and of this module;
                  the same (but the empty manifest) on a precompiled copy of pwsh (as release packages are, where the
                  dotnet tool is IL only); plus in-process import time;
      per op      create -> get -> delete rounds against the bundled simulator (no latency) at steady state: every
                  client warms up for the same number of rounds (timed in blocks, to show where per-round time
                  stops falling), then per operation = sample time / (3 x rounds), median of samples: the module's
                  cmdlets; a hand-written Invoke-RestMethod script; Nokia's TypeScript SDK (npm network-as-code
                  10.0.0); bare fetch in Node; floor 1, a bare .NET HttpClient loop (bench/HttpFloor); floor 2, a
                  PowerShell loop of 4 trivial cmdlet calls per round;
      connections TCP connections each client opened to the simulator (ss -tan before and after the run);
      first call  in fresh processes: the first New-NacQodSession after import against the second, also on the
                  precompiled pwsh; the first request against the second of a bare .NET HttpClient and of
                  Invoke-RestMethod;
      job         a whole scheduled job (fresh pwsh, import, create one session, delete it: bench/jobs/ModuleJob.ps1)
                  against the same job written with Invoke-RestMethod (bench/jobs/IrmJob.ps1), interleaved;
      memory      working set and managed heap after import, after a warm-up and over 10,000 operations;
      bulk        at --latency-ms 50: Clear-NacQodSession of 200 sessions of one device (issue 7); 1,000 creates
                  then 1,000 removals by the module at -ThrottleLimit 16 and 32, the TS SDK (a pool of 16) and
                  ForEach-Object -Parallel -ThrottleLimit 16 with Invoke-RestMethod: elapsed time, peak RSS
                  (VmHWM) of the client process, every item checked on the simulator;
      listing     Get-NacQodSession -Device of one device holding 10, 100, 1,000, 10,000 sessions, bare and through
                  Format-Table | Out-String;
      rate limit  300 creates then removes through the simulator's gateway at 40 requests/s, burst 10, with
                  -ThrottleLimit 1, 16 and 32, without and with Retry-After: 1 (bench/Measure-RateLimitedBulk.ps1);
      targets     the figures named by issues 7, 10 and 13, from this same run, each met or not met.
    Writes <OutDir>/results.json (machine, load, commands, raw samples, medians, targets) and <OutDir>/benchmarks.md.
    Every measured client runs in its own fresh process; the simulator is its own process on 127.0.0.1.
.PARAMETER ModulePath
    The built module folder (out/NetworkAsCode), importable by path. Its simulator/ folder is used unless
    -SimulatorPath is given.
.PARAMETER Quick
    Fewer repetitions, shorter warm-ups and smaller bulk and listing sizes: a smoke run of a few minutes.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Build
    dotnet pwsh ./bench/Invoke-Benchmark.ps1 -ModulePath ./out/NetworkAsCode -OutDir ./out/bench
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/NetworkAsCode'),
    [string] $OutDir = (Join-Path $PSScriptRoot '../out/bench'),
    [switch] $Quick,
    [string] $SimulatorPath,
    # Before each phase, wait up to this many seconds for the machine to be idle (< 15 % CPU); 0: do not wait.
    [int] $IdleWaitSeconds = 0
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ProgressPreference = 'SilentlyContinue'

$BenchDir = $PSScriptRoot
$RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$ModulePath = (Resolve-Path $ModulePath).Path
if (-not $SimulatorPath) { $SimulatorPath = Join-Path $ModulePath 'simulator/NetworkAsCode.Simulator.dll' }
$SimulatorPath = (Resolve-Path $SimulatorPath).Path
New-Item -ItemType Directory -Path $OutDir -Force | Out-Null
$OutDir = (Resolve-Path $OutDir).Path
$WorkDir = Join-Path $OutDir 'work'
if (Test-Path $WorkDir) { Remove-Item $WorkDir -Recurse -Force }
New-Item -ItemType Directory -Path $WorkDir -Force | Out-Null
$Worker = Join-Path $BenchDir 'BenchWorker.ps1'
$TsDir = Join-Path $BenchDir 'ts-sdk'
$FloorProject = Join-Path $BenchDir 'HttpFloor/HttpFloor.csproj'
$FloorDll = Join-Path $BenchDir 'HttpFloor/bin/Release/net10.0/HttpFloor.dll'
$TrivialProject = Join-Path $BenchDir 'TrivialModule/TrivialModule.csproj'
$TrivialManifest = Join-Path $BenchDir 'TrivialModule/bin/Release/netstandard2.0/TrivialModule.psd1'
$TrivialFormattedManifest = Join-Path $BenchDir 'TrivialModule/bin/Release/netstandard2.0/TrivialFormatted.psd1'
$EmptyManifest = Join-Path $BenchDir 'EmptyModule/EmptyModule.psd1'
$ModuleJob = Join-Path $BenchDir 'jobs/ModuleJob.ps1'
$IrmJob = Join-Path $BenchDir 'jobs/IrmJob.ps1'

# Repetitions. Full mode takes ~15 minutes on 2 cores (more when others load the machine); -Quick a few.
# Warm-up: every per-op client runs Warmup rounds (timed in blocks of WarmupBlock) before its samples. On this
# machine the module's and Invoke-RestMethod's per-round time falls for about 2,000 rounds (tiered JIT, PowerShell's
# compiled script blocks) and is flat after; 5,000 rounds (the issue's figure) leaves a margin of 2.5x. The result
# shows each client's warm-up curve and where it settled.
# Memory: the warm-up is the per-op one, 5,000 rounds of 3 operations, so that the 10,000 operations measured start
# at steady state. After 6,000 the working set still grew +5.5, +2.3, +0.6, +0.8 MiB per 2,500 operations (the heap
# flat): the JIT and the runtime settling, which a leak check must not count; after about 12,500 it is flat.
$P = if ($Quick) {
    @{ ImportRuns = 5; FirstCallRuns = 3; JobRuns = 3; Passes = 1; Warmup = 1000; WarmupBlock = 250; Samples = 2; Rounds = 200
       MemoryWarmupOps = 1500; MemoryOps = 2000; MemoryCheckpoints = 4; BulkClearSamples = 1; BulkClearCount = 200; BulkLatencyMs = 50
       BulkCount = 200; BulkSamples = 1; ListingSizes = '10,100,1000'; ListingSamples = 2; RateCount = 120; RateThrottleLimits = @(1, 16) }
} else {
    @{ ImportRuns = 21; FirstCallRuns = 7; JobRuns = 11; Passes = 2; Warmup = 5000; WarmupBlock = 500; Samples = 4; Rounds = 500
       MemoryWarmupOps = 15000; MemoryOps = 10000; MemoryCheckpoints = 4; BulkClearSamples = 3; BulkClearCount = 200; BulkLatencyMs = 50
       BulkCount = 1000; BulkSamples = 2; ListingSizes = '10,100,1000,10000'; ListingSamples = 3; RateCount = 300; RateThrottleLimits = @(1, 16, 32) }
}
$Started = Get-Date
$Commands = [System.Collections.Generic.List[string]]::new()

# ---------------------------------------------------------------------------------------------------------
# helpers

function Write-Step([string] $text) { Write-Host "== $text" -ForegroundColor Cyan }

# How busy the machine is (all processes), in % of all cores, over $seconds: a benchmark on a busy machine is noise.
function Get-CpuBusyPercent([double] $seconds = 1) {
    function Read-Stat { $f = -split ((Get-Content /proc/stat -TotalCount 1) -replace '^cpu\s+', ''); $v = [long[]]$f; [pscustomobject]@{ Idle = $v[3] + $v[4]; Total = ($v | Measure-Object -Sum).Sum } }
    $a = Read-Stat; Start-Sleep -Milliseconds ([int]($seconds * 1000)); $b = Read-Stat
    $total = $b.Total - $a.Total
    if ($total -le 0) { return 0 }
    [math]::Round(100 * (1 - ($b.Idle - $a.Idle) / $total), 1)
}
function Get-LoadAverage { (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3 }

# Records how busy the machine was as each phase started (and waits for idle when asked): the results say
# whether other work on the machine could have disturbed a phase.
$PhaseLoad = [System.Collections.Generic.List[object]]::new()
function Wait-Idle([string] $phase) {
    $deadline = (Get-Date).AddSeconds($IdleWaitSeconds)
    $waited = 0
    while ($true) {
        $busy = Get-CpuBusyPercent 0.5
        if ($busy -lt 15 -or (Get-Date) -ge $deadline) { break }
        $waited += 0.5
    }
    $PhaseLoad.Add([ordered]@{ phase = $phase; cpuBusyPercent = $busy; waitedSeconds = $waited })
    if ($busy -ge 15) { Write-Warning "Machine busy ($busy % CPU) at the start of: $phase" }
}

function Get-Median([double[]] $values) {
    if (-not $values -or $values.Count -eq 0) { return $null }
    $sorted = [double[]]($values | Sort-Object)
    $mid = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$mid] }
    ($sorted[$mid - 1] + $sorted[$mid]) / 2
}

function Invoke-Native([string] $command, [string[]] $arguments, [string] $where = $RepoRoot) {
    Push-Location $where
    try {
        $output = & $command @arguments | ForEach-Object { "$_" }
        if ($LASTEXITCODE -ne 0) { throw "$command $($arguments -join ' ') failed ($LASTEXITCODE):`n$($output -join "`n")" }
        $output
    } finally { Pop-Location }
}

# pwsh the way this repository runs it: the pinned local tool, `dotnet pwsh`, from the repository root.
$PwshFile = 'dotnet'
$PwshPrefix = @('pwsh')
Push-Location $RepoRoot
try {
    $probe = & dotnet pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()' 2>$null
    if ($LASTEXITCODE -ne 0 -or -not $probe) {
        if (-not (Get-Command pwsh -ErrorAction SilentlyContinue)) { throw 'Neither `dotnet pwsh` (run `dotnet tool restore`) nor pwsh is available.' }
        $PwshFile = 'pwsh'; $PwshPrefix = @()
        $probe = & pwsh -NoProfile -Command '$PSVersionTable.PSVersion.ToString()'
    }
} finally { Pop-Location }
$PwshVersion = "$probe".Trim()
$PwshDisplay = (@($PwshFile) + $PwshPrefix) -join ' '

function Invoke-Worker([string] $scenario, [hashtable] $arguments, [string[]] $prefix = $PwshPrefix) {
    $result = Join-Path $WorkDir ("$scenario-" + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.json')
    $list = $prefix + @('-NoProfile', '-NonInteractive', '-File', $Worker, '-Scenario', $scenario, '-ResultPath', $result, '-ModulePath', $ModulePath)
    foreach ($k in $arguments.Keys) { $list += @("-$k", "$($arguments[$k])") }
    $display = "$PwshFile " + (($list | ForEach-Object { if ($_ -match '\s') { "'$_'" } else { $_ } }) -join ' ')
    if (-not $Commands.Contains(($display -replace '-ResultPath \S+', '-ResultPath <file>'))) { $Commands.Add(($display -replace '-ResultPath \S+', '-ResultPath <file>')) }
    Invoke-Native $PwshFile $list | Out-Host
    Get-Content -Raw $result | ConvertFrom-Json -AsHashtable
}

# ---- simulator (started by this script, stopped by its process id) -------------------------------------

function Start-Simulator([int] $latencyMs) {
    $log = Join-Path $WorkDir "simulator-$latencyMs-$([guid]::NewGuid().ToString('N').Substring(0, 6)).log"
    $simArgs = @($SimulatorPath, '--urls', 'http://127.0.0.1:0', '--available-delay-ms', '0', '--latency-ms', "$latencyMs",
        '--parent-pid', "$PID")
    $Commands.Add("dotnet $($simArgs -join ' ')")
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $simArgs -RedirectStandardOutput $log -RedirectStandardError "$log.err" -PassThru -WorkingDirectory $RepoRoot
    $deadline = (Get-Date).AddSeconds(60)
    while ((Get-Date) -lt $deadline) {
        if ($process.HasExited) { throw "The simulator exited ($($process.ExitCode)): $(Get-Content -Raw $log) $(Get-Content -Raw "$log.err")" }
        $line = Select-String -Path $log -Pattern 'Now listening on: (http://127\.0\.0\.1:(\d+))' -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($line) {
            return [pscustomobject]@{ Process = $process; BaseUrl = $line.Matches[0].Groups[1].Value; Port = [int]$line.Matches[0].Groups[2].Value; LatencyMs = $latencyMs }
        }
        Start-Sleep -Milliseconds 100
    }
    Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
    throw 'The simulator did not start within 60 s.'
}

function Stop-Simulator($sim) {
    if ($sim -and -not $sim.Process.HasExited) { Stop-Process -Id $sim.Process.Id -Force -ErrorAction SilentlyContinue }
}

# One HttpClient for the harness's own calls to the simulator (reset, stats): its one pooled connection
# exists before any connection snapshot is taken, so it is never counted as a client's connection.
$Harness = [System.Net.Http.HttpClient]::new()
function Reset-Simulator($sim) {
    $r = $Harness.PostAsync("$($sim.BaseUrl)/_simulator/reset", $null).GetAwaiter().GetResult()
    if ([int]$r.StatusCode -ne 204) { throw "reset failed: $([int]$r.StatusCode)" }
}
function Get-SimStats($sim) { $Harness.GetStringAsync("$($sim.BaseUrl)/_simulator/stats").GetAwaiter().GetResult() | ConvertFrom-Json }

# The client-side ports of every TCP connection, in any state (ESTAB, TIME-WAIT, ...), to or from $port.
# A connection a client opened leaves a row until well after it closes (TIME-WAIT lasts 60 s on Linux).
function Get-PeerPorts([int] $port) {
    $ports = [System.Collections.Generic.HashSet[int]]::new()
    foreach ($line in (& ss -Htan 2>$null)) {
        $cols = -split $line
        if ($cols.Count -lt 5) { continue }
        $local = $cols[3]; $peer = $cols[4]
        $lp = $local.Substring($local.LastIndexOf(':') + 1); $pp = $peer.Substring($peer.LastIndexOf(':') + 1)
        if ($pp -eq '*') { continue }
        if ($lp -eq "$port") { [void]$ports.Add([int]$pp) }
        elseif ($pp -eq "$port") { [void]$ports.Add([int]$lp) }
    }
    , $ports
}

function Measure-Connections($sim, [scriptblock] $run) {
    $before = Get-PeerPorts $sim.Port
    $requestsBefore = (Get-SimStats $sim).requests
    $result = & $run
    $after = Get-PeerPorts $sim.Port
    $after.ExceptWith($before)
    $requests = (Get-SimStats $sim).requests - $requestsBefore
    [pscustomobject]@{ Result = $result; Connections = $after.Count; Requests = $requests }
}

# ---------------------------------------------------------------------------------------------------------
# preparation

Write-Step "Preparing (module: $ModulePath)"
foreach ($tool in 'dotnet', 'node', 'npm', 'ss') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "$tool is needed and was not found." }
}
Invoke-Native npm @('ci', '--no-audit', '--no-fund', '--loglevel=error') $TsDir | Out-Null
Invoke-Native dotnet @('build', $FloorProject, '-c', 'Release', '-nologo', '-v', 'q') | Out-Null
Invoke-Native dotnet @('build', $TrivialProject, '-c', 'Release', '-nologo', '-v', 'q') | Out-Null
$Commands.Add("cd bench/ts-sdk && npm ci")
$Commands.Add("dotnet build bench/HttpFloor/HttpFloor.csproj -c Release")
$Commands.Add("dotnet build bench/TrivialModule/TrivialModule.csproj -c Release")

$memKb = (Select-String -Path /proc/meminfo -Pattern '^MemTotal:\s+(\d+)').Matches[0].Groups[1].Value
$osName = if (Test-Path /etc/os-release) { (Select-String -Path /etc/os-release -Pattern '^PRETTY_NAME="?([^"]*)').Matches[0].Groups[1].Value } else { [System.Runtime.InteropServices.RuntimeInformation]::OSDescription }
$cpuModel = (Select-String -Path /proc/cpuinfo -Pattern '^model name\s*:\s*(.*)' -ErrorAction SilentlyContinue | Select-Object -First 1)
$Machine = [ordered]@{
    nproc          = [int](& nproc)
    cpu            = if ($cpuModel) { $cpuModel.Matches[0].Groups[1].Value } else { $null }
    memoryMiB      = [math]::Round([double]$memKb / 1024)
    os             = $osName
    kernel         = "$(& uname -r)".Trim()
    dotnet         = "$(Invoke-Native dotnet @('--version'))".Trim()
    pwsh           = $PwshVersion
    pwshCommand    = $PwshDisplay
    node           = "$(& node --version)".Trim()
    tsSdk          = (Get-Content -Raw (Join-Path $TsDir 'node_modules/network-as-code/package.json') | ConvertFrom-Json).version
    telemetryOptOut = $env:POWERSHELL_TELEMETRY_OPTOUT
    repoCommit     = "$(& git -C $RepoRoot rev-parse --short HEAD 2>$null)".Trim()
    moduleVersion  = (Import-PowerShellDataFile (Join-Path $ModulePath 'NetworkAsCode.psd1')).ModuleVersion
    moduleFiles    = @(Get-ChildItem $ModulePath -Recurse -File -Filter *.dll | Where-Object { $_.FullName -notlike '*simulator*' } | ForEach-Object { $_.FullName.Substring($ModulePath.Length + 1) })
}
$Machine.loadAverageAtStart = (Get-LoadAverage) -join ' '
$Machine.cpuBusyBeforeStartPercent = Get-CpuBusyPercent 2
Write-Host "$($Machine.nproc) cores, $($Machine.memoryMiB) MiB, $($Machine.os); dotnet $($Machine.dotnet), pwsh $PwshVersion, node $($Machine.node)"
Write-Host "load average $($Machine.loadAverageAtStart); CPU busy over the last 2 s: $($Machine.cpuBusyBeforeStartPercent) %"
if ($Machine.cpuBusyBeforeStartPercent -gt 10) { Write-Warning "The machine is busy ($($Machine.cpuBusyBeforeStartPercent) % CPU before the benchmark started): figures will be noisy; rerun on an idle machine." }


# Whole-process timings (import, job) start pwsh directly, the way a scheduler starts an installed pwsh: the
# runtime host and pwsh.dll of the running PowerShell. `dotnet pwsh` would add the tool-manifest lookup (about
# 0.4 s here, and noisy) to every variant alike, which only blurs the differences being measured.
$HostFile = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
$HostPrefix = @(if ((Split-Path -Leaf $HostFile) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })

# A whole-process command line as results.json lists it: the host, PSHOME (or the precompiled copy of it) by name.
function Format-HostCommand([string[]] $arguments) {
    $shown = foreach ($a in $arguments) {
        if ($HostPrefix -contains $a) { '<PSHOME>/pwsh.dll' }
        elseif ($PrecompiledPwsh -and $a -eq $PrecompiledPwsh) { '<precompiled PSHOME>/pwsh.dll' }
        elseif ($a -match '\s') { '"' + $a + '"' }
        else { $a }
    }
    "$(if ($HostPrefix) { 'dotnet' } else { $HostFile }) $($shown -join ' ')"
}

# PowerShell as users of an installed pwsh run it. Its release packages are built precompiled (crossgen); the
# `dotnet pwsh` tool package is IL only, so there every part of PowerShell's own code that an import runs (the
# manifest, the format and types loaders) is JIT-compiled first: a module with a format file pays for that where a
# trivial module does not. This makes a copy of PSHOME with PowerShell's engine assemblies precompiled (ReadyToRun,
# by crossgen2 from the NuGet cache, which build.ps1's precompile of the core restores) and measures import and the
# first call there too. $null, with the reason in $PrecompiledPwshReason, when it cannot be made here.
$PrecompiledPwshReason = $null
function New-PrecompiledPwsh {
    if (-not $HostPrefix) { $script:PrecompiledPwshReason = "pwsh here is $HostFile, not the dotnet tool"; return $null }
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $nuget = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $runtime = [Environment]::Version
    $crossgen = Get-ChildItem (Join-Path $nuget "microsoft.netcore.app.crossgen2.$os-$arch") -Directory -ErrorAction SilentlyContinue |
        Where-Object { $_.Name -like "$($runtime.Major).$($runtime.Minor).*" } | Sort-Object { [version]($_.Name -replace '-.*$', '') } -Descending |
        ForEach-Object { Join-Path $_.FullName "tools/crossgen2$(if ($IsWindows) { '.exe' })" } | Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $crossgen) { $script:PrecompiledPwshReason = "no crossgen2 $($runtime.Major).$($runtime.Minor) for $os-$arch in $nuget (build.ps1 restores it)"; return $null }
    $target = Join-Path $OutDir 'pwsh-precompiled'
    $stamp = Join-Path $target '.made-from'
    $source = "$PSHOME|$((Get-Item (Join-Path $PSHOME 'System.Management.Automation.dll')).LastWriteTimeUtc.Ticks)|$crossgen"
    if ((Test-Path $stamp) -and (Get-Content -Raw $stamp) -eq $source) { return Join-Path $target 'pwsh.dll' }
    if (Test-Path $target) { Remove-Item $target -Recurse -Force }
    Copy-Item $PSHOME $target -Recurse
    $framework = [System.Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()
    # The engine and what it loads to start and to import a module; the rest of PSHOME stays IL.
    foreach ($name in 'System.Management.Automation', 'pwsh', 'Microsoft.PowerShell.ConsoleHost', 'Microsoft.PowerShell.Commands.Utility',
        'Microsoft.PowerShell.Commands.Management', 'Microsoft.PowerShell.Security', 'Microsoft.PowerShell.SDK', 'Microsoft.ApplicationInsights', 'Newtonsoft.Json') {
        $il = Join-Path $PSHOME "$name.dll"
        if (-not (Test-Path $il)) { continue }
        # A response file: pwsh on Unix would expand the *.dll of a native command's argument itself.
        $rsp = Join-Path $WorkDir "crossgen-$name.rsp"
        Set-Content -Path $rsp -Value @($il, '-o:' + (Join-Path $target "$name.dll"), '-r:' + (Join-Path $framework '*.dll'), '-r:' + (Join-Path $PSHOME '*.dll'),
            "--targetos:$os", "--targetarch:$arch", '-O')
        $output = & $crossgen "@$rsp" 2>&1
        if ($LASTEXITCODE -ne 0) { $script:PrecompiledPwshReason = "crossgen2 failed on $name.dll: $($output | Select-Object -Last 3)"; Remove-Item $target -Recurse -Force; return $null }
    }
    Set-Content -Path $stamp -Value $source -NoNewline
    Join-Path $target 'pwsh.dll'
}

# Starts one process (pwsh directly unless $file says otherwise) from the repository root, waits for it, and
# returns its wall time in ms; $environment adds variables to the child's environment only (never to its
# command line: the token travels there).
function Measure-Process([string[]] $arguments, [hashtable] $environment = @{}, [string] $file = $HostFile) {
    $info = [System.Diagnostics.ProcessStartInfo]::new($file)
    foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
    foreach ($k in $environment.Keys) { $info.Environment[$k] = "$($environment[$k])" }
    $info.WorkingDirectory = $RepoRoot
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($info)
    $out = $p.StandardOutput.ReadToEnd()
    $p.WaitForExit()
    $sw.Stop()
    if ($p.ExitCode -ne 0) { throw "$file $($arguments -join ' ') exited with $($p.ExitCode): $out" }
    $sw.Elapsed.TotalMilliseconds
}

# Runs each named command line $runs times, interleaved (the order rotates every round so that drift and
# bursts of load hit all alike), after $warmups unmeasured runs of each. Returns name -> list of ms.
function Measure-Interleaved([System.Collections.Specialized.OrderedDictionary] $variants, [int] $runs, [int] $warmups = 2) {
    $names = @($variants.Keys)
    $times = [ordered]@{}
    foreach ($name in $names) { $times[$name] = [System.Collections.Generic.List[double]]::new() }
    for ($w = 0; $w -lt $warmups; $w++) { foreach ($name in $names) { $v = $variants[$name]; $null = Measure-Process $v.Arguments $v.Environment } }
    for ($i = 0; $i -lt $runs; $i++) {
        $shift = $i % $names.Count
        $order = $names[$shift..($names.Count - 1)] + $(if ($shift -gt 0) { $names[0..($shift - 1)] } else { @() })
        foreach ($name in $order) { $v = $variants[$name]; $times[$name].Add((Measure-Process $v.Arguments $v.Environment)) }
    }
    $times
}

# How many warm-up rounds a client ran before its per-round time first came down to its steady level (a block
# within 15 % of the median of its samples): where the JIT and the caches had settled. Later blocks may still
# spike with the machine's load; $null when no block came that low.
function Get-SettledAfter([double[]] $blocks, [int] $blockRounds, [double] $steady) {
    for ($b = 0; $b -lt $blocks.Count; $b++) {
        if ($blocks[$b] -le 1.15 * $steady) { return $b * $blockRounds }
    }
    $null
}

# ---------------------------------------------------------------------------------------------------------
# 1. import: whole processes, interleaved so that drift hits every variant alike

Wait-Idle 'import'
$PrecompiledPwsh = New-PrecompiledPwsh
if ($PrecompiledPwsh) { $Commands.Add("crossgen2 of PowerShell's engine assemblies into a copy of PSHOME: $(Split-Path $PrecompiledPwsh)") }
else { Write-Warning "No precompiled copy of pwsh: $PrecompiledPwshReason. Import and first call are measured on the IL-only pwsh alone." }
Write-Step "Import: $($P.ImportRuns) x each of bare pwsh, empty manifest, trivial binary module (alone and with a format and types file), this module$(if ($PrecompiledPwsh) { '; the same but the empty manifest on a precompiled pwsh' }) (interleaved)"
function New-ImportVariant([string[]] $pwsh, [string] $command) { @{ Arguments = $pwsh + @('-NoProfile', '-Command', $command); Environment = @{} } }
$importVariants = [ordered]@{
    bare             = New-ImportVariant $HostPrefix 'exit'
    empty            = New-ImportVariant $HostPrefix "Import-Module '$EmptyManifest'"
    trivial          = New-ImportVariant $HostPrefix "Import-Module '$TrivialManifest'"
    trivialFormatted = New-ImportVariant $HostPrefix "Import-Module '$TrivialFormattedManifest'"
    module           = New-ImportVariant $HostPrefix "Import-Module '$ModulePath'"
}
if ($PrecompiledPwsh) {
    foreach ($name in 'bare', 'trivial', 'trivialFormatted', 'module') {
        $importVariants["${name}Precompiled"] = New-ImportVariant @($PrecompiledPwsh) $importVariants[$name].Arguments[-1]
    }
}
foreach ($v in $importVariants.Values) {
    $Commands.Add((Format-HostCommand $v.Arguments))
}
$importTimes = Measure-Interleaved $importVariants $P.ImportRuns
$Import = [ordered]@{ runs = $P.ImportRuns; precompiledPwsh = [bool]$PrecompiledPwsh; precompiledPwshReason = $PrecompiledPwshReason }
foreach ($name in $importTimes.Keys) { $Import["${name}Ms"] = $importTimes[$name]; $Import["${name}MedianMs"] = Get-Median $importTimes[$name] }
$Import.importMedianMs = $Import.moduleMedianMs
$Import.addedMs = $Import.moduleMedianMs - $Import.bareMedianMs
$Import.overTrivialMs = $Import.moduleMedianMs - $Import.trivialMedianMs
$Import.formatAndTypesMs = $Import.trivialFormattedMedianMs - $Import.trivialMedianMs
$Import.overTrivialFormattedMs = $Import.moduleMedianMs - $Import.trivialFormattedMedianMs
Write-Host ("bare {0:N0} ms; empty manifest {1:+0;-0}; trivial binary module {2:+0;-0}; with a format and types file {3:+0;-0}; this module {4:+0;-0} ms (over trivial: {5:+0;-0} ms)" -f $Import.bareMedianMs,
    ($Import.emptyMedianMs - $Import.bareMedianMs), ($Import.trivialMedianMs - $Import.bareMedianMs), ($Import.trivialFormattedMedianMs - $Import.bareMedianMs), $Import.addedMs, $Import.overTrivialMs)
if ($PrecompiledPwsh) {
    $Import.overTrivialPrecompiledMs = $Import.modulePrecompiledMedianMs - $Import.trivialPrecompiledMedianMs
    $Import.formatAndTypesPrecompiledMs = $Import.trivialFormattedPrecompiledMedianMs - $Import.trivialPrecompiledMedianMs
    $Import.overTrivialFormattedPrecompiledMs = $Import.modulePrecompiledMedianMs - $Import.trivialFormattedPrecompiledMedianMs
    Write-Host ("precompiled pwsh: bare {0:N0} ms; trivial binary module {1:+0;-0}; with a format and types file {2:+0;-0}; this module {3:+0;-0} ms (over trivial: {4:+0;-0} ms)" -f $Import.barePrecompiledMedianMs,
        ($Import.trivialPrecompiledMedianMs - $Import.barePrecompiledMedianMs), ($Import.trivialFormattedPrecompiledMedianMs - $Import.barePrecompiledMedianMs),
        ($Import.modulePrecompiledMedianMs - $Import.barePrecompiledMedianMs), $Import.overTrivialPrecompiledMs)
}

$sim0 = $null; $simIrm = $null; $sim50 = $null
try {
    # ---------------------------------------------------------------------------------------------------------
    # 2. per operation, simulator without latency, at steady state
    Write-Step 'Starting the simulator (no latency)'
    $sim0 = Start-Simulator 0
    # The Invoke-RestMethod script opens a connection per request: tens of thousands of TIME-WAIT rows whose
    # client ports the kernel hands out again to later connections (tcp_tw_reuse on loopback). On the same
    # server port they would hide other clients' new connections from the ss count, so it gets its own simulator.
    $simIrm = Start-Simulator 0
    Write-Host "simulators at $($sim0.BaseUrl) and (Invoke-RestMethod per op) $($simIrm.BaseUrl)"
    # Warm the simulators' own JIT so the first client measured does not pay for it.
    foreach ($sim in $sim0, $simIrm) { Invoke-Native dotnet @($FloorDll, '--base-url', $sim.BaseUrl, '--warmup', '3000', '--samples', '1', '--rounds', '500') | Out-Null }
    Start-Sleep -Seconds 1

    $loop = @{ Warmup = $P.Warmup; WarmupBlock = $P.WarmupBlock; Samples = $P.Samples; Rounds = $P.Rounds }
    $clients = [ordered]@{
        httpclient     = @{ Label = 'Floor 1: bare .NET HttpClient loop (C#)'; Reference = '0.045' }
        'cmdlet-floor' = @{ Label = 'Floor 2: PowerShell loop, 4 trivial cmdlet calls/round'; Reference = '0.075' }
        module         = @{ Label = 'NetworkAsCode cmdlets'; Reference = '' }
        irm            = @{ Label = 'Hand-written Invoke-RestMethod script'; Reference = '0.6-0.8' }
        sdk            = @{ Label = "Nokia TypeScript SDK (network-as-code $($Machine.tsSdk))"; Reference = '0.55-0.8' }
        fetch          = @{ Label = 'Bare fetch in Node'; Reference = '0.37-0.48' }
    }
    $names = @($clients.Keys)
    $raw = @{}; $warmRaw = @{}; $conns = @{}; $reqs = @{}
    foreach ($name in $names) {
        $raw[$name] = [System.Collections.Generic.List[object]]::new(); $warmRaw[$name] = [System.Collections.Generic.List[object]]::new()
        $conns[$name] = [System.Collections.Generic.List[int]]::new(); $reqs[$name] = [System.Collections.Generic.List[long]]::new()
    }
    $phone = 36700000000
    # Several passes, each client in a fresh process per pass, the order rotated: a burst of background load
    # then hits every client alike instead of one.
    for ($pass = 0; $pass -lt $P.Passes; $pass++) {
        $order = $names[$pass..($names.Count - 1)] + $(if ($pass -gt 0) { $names[0..($pass - 1)] } else { @() })
        foreach ($name in $order) {
            Wait-Idle "per-op pass $($pass + 1) $name"
            Write-Step "Per operation, pass $($pass + 1)/$($P.Passes): $($clients[$name].Label) ($($P.Warmup) warm-up rounds, then $($P.Samples) x $($P.Rounds) rounds)"
            $sim = if ($name -eq 'irm') { $simIrm } else { $sim0 }
            Reset-Simulator $sim
            $phone += 1000000
            $m = Measure-Connections $sim {
                switch ($name) {
                    'httpclient' {
                        $a = @($FloorDll, '--base-url', $sim.BaseUrl, '--warmup', $P.Warmup, '--warmup-block', $P.WarmupBlock, '--samples', $P.Samples, '--rounds', $P.Rounds, '--phone-base', $phone)
                        $c = "dotnet bench/HttpFloor/bin/Release/net10.0/HttpFloor.dll --base-url <sim> --warmup $($P.Warmup) --warmup-block $($P.WarmupBlock) --samples $($P.Samples) --rounds $($P.Rounds)"
                        if (-not $Commands.Contains($c)) { $Commands.Add($c) }
                        (Invoke-Native dotnet $a | Select-Object -Last 1) | ConvertFrom-Json -AsHashtable
                    }
                    { $_ -in 'sdk', 'fetch' } {
                        $a = @('bench.mjs', '--client', $name, '--base-url', $sim.BaseUrl, '--warmup', $P.Warmup, '--warmup-block', $P.WarmupBlock, '--samples', $P.Samples, '--rounds', $P.Rounds, '--phone-base', $phone)
                        $c = "cd bench/ts-sdk && node bench.mjs --client $name --base-url <sim> --warmup $($P.Warmup) --warmup-block $($P.WarmupBlock) --samples $($P.Samples) --rounds $($P.Rounds)"
                        if (-not $Commands.Contains($c)) { $Commands.Add($c) }
                        (Invoke-Native node $a $TsDir | Select-Object -Last 1) | ConvertFrom-Json -AsHashtable
                    }
                    'module' { Invoke-Worker 'ModuleOps' ($loop + @{ BaseUrl = $sim.BaseUrl; PhoneBase = $phone }) }
                    'irm' { Invoke-Worker 'IrmOps' ($loop + @{ BaseUrl = $sim.BaseUrl; PhoneBase = $phone }) }
                    'cmdlet-floor' { Invoke-Worker 'CmdletFloor' ($loop + @{ PhoneBase = $phone }) }
                }
            }
            foreach ($sample in $m.Result.samples) { $sample['pass'] = $pass + 1; $raw[$name].Add($sample) }
            $warmRaw[$name].Add([double[]]@($m.Result.warmupBlocks | ForEach-Object { $_.perOpMs }))
            $conns[$name].Add($m.Connections); $reqs[$name].Add($m.Requests)
            $v = [double[]]@($m.Result.samples | ForEach-Object { $_.perOpMs })
            $wb = [double[]]@($m.Result.warmupBlocks | ForEach-Object { $_.perOpMs })
            Write-Host ("median {0:N3} ms per op this pass (warm-up blocks: {1}); {2} requests over {3} TCP connection(s)" -f (Get-Median $v),
                (($wb | ForEach-Object { '{0:N3}' -f $_ }) -join ' '), $m.Requests, $m.Connections)
        }
    }
    $PerOp = [ordered]@{}
    foreach ($name in $names) {
        $perOpValues = [double[]]@($raw[$name] | ForEach-Object { $_.perOpMs })
        $median = Get-Median $perOpValues
        # The warm-up curve: per block, the median over passes; and where it settled (within 15 % of the median).
        $blockCount = ($warmRaw[$name] | ForEach-Object { $_.Count } | Measure-Object -Minimum).Minimum
        $curve = [double[]]@(for ($b = 0; $b -lt $blockCount; $b++) { Get-Median ([double[]]@($warmRaw[$name] | ForEach-Object { $_[$b] })) })
        $PerOp[$name] = [ordered]@{
            label = $clients[$name].Label; issueReferenceMs = $clients[$name].Reference
            passes = $P.Passes; warmupRounds = $P.Warmup; warmupBlockRounds = $P.WarmupBlock; rounds = $P.Rounds; sampleCount = $perOpValues.Count; samples = $raw[$name]
            warmupCurvePerOpMs = $curve; warmupBlocksPerPass = $warmRaw[$name]
            settledAfterRounds = Get-SettledAfter $curve $P.WarmupBlock $median
            medianPerOpMs = $median; minPerOpMs = ($perOpValues | Measure-Object -Minimum).Minimum; maxPerOpMs = ($perOpValues | Measure-Object -Maximum).Maximum
            tcpConnectionsPerPass = if ($name -eq 'cmdlet-floor') { $null } else { $conns[$name] }
            tcpConnections = if ($name -eq 'cmdlet-floor') { $null } else { ($conns[$name] | Measure-Object -Maximum).Maximum }
            httpRequestsPerPass = if ($name -eq 'cmdlet-floor') { $null } else { $reqs[$name] }
            httpRequests = if ($name -eq 'cmdlet-floor') { 0 } else { $reqs[$name][0] }
        }
    }

    Stop-Simulator $simIrm; $simIrm = $null

    # ---- first call after import (fresh processes) ------------------------------------------------------
    Wait-Idle 'first call'
    Write-Step "First call after import: $($P.FirstCallRuns) fresh processes"
    $first = [System.Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $P.FirstCallRuns; $i++) {
        Reset-Simulator $sim0
        $first.Add((Invoke-Worker 'FirstCall' @{ BaseUrl = $sim0.BaseUrl; PhoneBase = 36790000000 + 10 * $i }))
    }
    $FirstCall = [ordered]@{ runs = $P.FirstCallRuns; raw = $first; assembliesLoaded = $first[0].assembliesLoaded }
    foreach ($key in 'importMs', 'firstNewNacDeviceMs', 'firstConnectNacMs', 'firstNewNacQodSessionMs', 'secondNewNacQodSessionMs', 'firstGetNacQodSessionMs',
        'firstRemoveNacQodSessionMs', 'secondGetAndRemoveMs', 'firstRoundMs') {
        $FirstCall["${key}Median"] = Get-Median ([double[]]@($first | ForEach-Object { $_[$key] }))
    }
    $FirstCall.firstOverSecondMs = $FirstCall.firstNewNacQodSessionMsMedian - $FirstCall.secondNewNacQodSessionMsMedian
    Write-Host ("in-process Import-Module {0:N0} ms; first New-NacQodSession {1:N1} ms, second {2:N1} ms: the first costs {3:N1} ms more" -f
        $FirstCall.importMsMedian, $FirstCall.firstNewNacQodSessionMsMedian, $FirstCall.secondNewNacQodSessionMsMedian, $FirstCall.firstOverSecondMs)

    # What the first request costs others, in fresh processes too: a bare .NET HttpClient (floor 1's program: the
    # HTTP stack and JSON are loaded and compiled on any .NET process's first request), Invoke-RestMethod in pwsh,
    # and the module on a precompiled pwsh (see New-PrecompiledPwsh).
    function Get-FirstOverSecond($runs, [string] $first, [string] $second) {
        $f = Get-Median ([double[]]@($runs | ForEach-Object { $_[$first] })); $s = Get-Median ([double[]]@($runs | ForEach-Object { $_[$second] }))
        [ordered]@{ firstMs = $f; secondMs = $s; firstOverSecondMs = $f - $s; raw = $runs }
    }
    $peers = [ordered]@{ httpClient = [System.Collections.Generic.List[object]]::new(); irm = [System.Collections.Generic.List[object]]::new(); precompiled = [System.Collections.Generic.List[object]]::new() }
    $Commands.Add("dotnet bench/HttpFloor/bin/Release/net10.0/HttpFloor.dll --base-url <sim> --first-call 1")
    for ($i = 0; $i -lt $P.FirstCallRuns; $i++) {
        Reset-Simulator $sim0
        $peers.httpClient.Add((Invoke-Native dotnet @($FloorDll, '--base-url', $sim0.BaseUrl, '--first-call', '1', '--phone-base', "$(36792000000 + 10 * $i)") | ConvertFrom-Json -AsHashtable))
        $peers.irm.Add((Invoke-Worker 'FirstCall' @{ BaseUrl = $sim0.BaseUrl; Client = 'Irm'; PhoneBase = 36793000000 + 10 * $i }))
        if ($PrecompiledPwsh) { $peers.precompiled.Add((Invoke-Worker 'FirstCall' @{ BaseUrl = $sim0.BaseUrl; PhoneBase = 36794000000 + 10 * $i } @($PrecompiledPwsh))) }
    }
    $FirstCall.httpClient = Get-FirstOverSecond $peers.httpClient 'firstCallMs' 'secondCallMs'
    $FirstCall.irm = Get-FirstOverSecond $peers.irm 'firstCallMs' 'secondCallMs'
    Write-Host ("first request over the second: bare .NET HttpClient {0:N1} ms, Invoke-RestMethod {1:N1} ms" -f $FirstCall.httpClient.firstOverSecondMs, $FirstCall.irm.firstOverSecondMs)
    if ($PrecompiledPwsh) {
        $FirstCall.precompiled = Get-FirstOverSecond $peers.precompiled 'firstNewNacQodSessionMs' 'secondNewNacQodSessionMs'
        $FirstCall.precompiled.importMs = Get-Median ([double[]]@($peers.precompiled | ForEach-Object { $_.importMs }))
        Write-Host ("precompiled pwsh: in-process Import-Module {0:N0} ms; first New-NacQodSession costs {1:N1} ms more than the second" -f $FirstCall.precompiled.importMs, $FirstCall.precompiled.firstOverSecondMs)
    }

    # ---- a whole scheduled job, module against Invoke-RestMethod (fresh processes, interleaved) ------------
    Wait-Idle 'job'
    Write-Step "Whole job (start pwsh, import, create, delete): $($P.JobRuns) x module job against $($P.JobRuns) x Invoke-RestMethod job (interleaved)"
    Reset-Simulator $sim0
    $jobEnvironment = @{ NAC_TOKEN = 'bench-key'; NAC_BASE_URL = $sim0.BaseUrl; NAC_BENCH_MODULE = $ModulePath; NAC_BENCH_PHONE = '+36791000000' }
    $jobVariants = [ordered]@{
        module = @{ Arguments = $HostPrefix + @('-NoProfile', '-File', $ModuleJob); Environment = $jobEnvironment }
        irm    = @{ Arguments = $HostPrefix + @('-NoProfile', '-File', $IrmJob); Environment = $jobEnvironment }
    }
    foreach ($v in $jobVariants.Values) { $Commands.Add("NAC_TOKEN=<key> NAC_BASE_URL=<sim> NAC_BENCH_MODULE=<module> NAC_BENCH_PHONE=<phone> $(Format-HostCommand $v.Arguments)") }
    $statsBefore = Get-SimStats $sim0
    $jobTimes = Measure-Interleaved $jobVariants $P.JobRuns
    $statsAfter = Get-SimStats $sim0
    $Job = [ordered]@{
        runs = $P.JobRuns; moduleMs = $jobTimes.module; irmMs = $jobTimes.irm
        moduleMedianMs = Get-Median $jobTimes.module; irmMedianMs = Get-Median $jobTimes.irm
        sessionsCreated = $statsAfter.sessionsCreated - $statsBefore.sessionsCreated; sessionsLeft = $statsAfter.sessionsLive
    }
    $Job.ratio = $Job.moduleMedianMs / $Job.irmMedianMs
    Write-Host ("module job {0:N0} ms, Invoke-RestMethod job {1:N0} ms: {2:N2}x ({3} sessions created, {4} left)" -f $Job.moduleMedianMs, $Job.irmMedianMs, $Job.ratio, $Job.sessionsCreated, $Job.sessionsLeft)

    # ---- memory over many operations ----------------------------------------------------------------------
    Wait-Idle 'memory'
    Write-Step "Memory: after import, after $($P.MemoryWarmupOps) warm-up operations, then $($P.MemoryCheckpoints) readings over $($P.MemoryOps) operations (module, then Invoke-RestMethod)"
    $Memory = [ordered]@{ warmupOperations = $P.MemoryWarmupOps; operations = $P.MemoryOps }
    $MiB = 1MB
    foreach ($client in 'Module', 'Irm') {
        Reset-Simulator $sim0
        $r = Invoke-Worker 'Memory' @{ BaseUrl = $sim0.BaseUrl; Client = $client; Warmup = $P.MemoryWarmupOps; Operations = $P.MemoryOps; Checkpoints = $P.MemoryCheckpoints; PhoneBase = 36780000000 }
        $cp = @($r.checkpoints)
        $Memory[$client.ToLower()] = [ordered]@{
            raw                    = $r
            importGrowthMiB        = ($r.afterImport.workingSet - $r.start.workingSet) / $MiB
            afterWarmupWorkingSetMiB = $cp[0].workingSet / $MiB
            afterWarmupGcHeapMiB   = $cp[0].gcHeap / $MiB
            workingSetGrowthMiB    = ($cp[-1].workingSet - $cp[0].workingSet) / $MiB
            gcHeapGrowthMiB        = ($cp[-1].gcHeap - $cp[0].gcHeap) / $MiB
            gcHeapPerCheckpointMiB = @($cp | ForEach-Object { [math]::Round($_.gcHeap / $MiB, 2) })
            workingSetPerCheckpointMiB = @($cp | ForEach-Object { [math]::Round($_.workingSet / $MiB, 1) })
            operations             = $r.operations
            peakRssMiB             = $r.vmHwmKiB / 1024
        }
        $mm = $Memory[$client.ToLower()]
        Write-Host ("{0}: after warm-up {1:N1} MiB working set, {2:N2} MiB managed heap; over {3} more operations (forced GC before each reading): working set {4:+0.0;-0.0} MiB, heap {5:+0.00;-0.00} MiB (heap: {6})" -f
            $client, $mm.afterWarmupWorkingSetMiB, $mm.afterWarmupGcHeapMiB, $mm.operations, $mm.workingSetGrowthMiB, $mm.gcHeapGrowthMiB, ($mm.gcHeapPerCheckpointMiB -join ' '))
    }

    # ---- listing: one device holding many sessions --------------------------------------------------------
    Wait-Idle 'listing'
    Write-Step "Listing: Get-NacQodSession -Device of one device holding $($P.ListingSizes) sessions, bare and | Format-Table | Out-String"
    $l = Invoke-Worker 'Listing' @{ BaseUrl = $sim0.BaseUrl; Sizes = $P.ListingSizes; Samples = $P.ListingSamples; PhoneBase = 36760000000 }
    $Listing = [ordered]@{ samples = $P.ListingSamples; warmupFormatTable1000Ms = $l.warmupFormatTable1000Ms; sizes = [System.Collections.Generic.List[object]]::new() }
    foreach ($row in $l.sizes) {
        $get = Get-Median ([double[]]@($row.getMs)); $ft = Get-Median ([double[]]@($row.formatTableMs))
        $Listing.sizes.Add([ordered]@{
            size = $row.size; setUp = $row.setUp; listed = $row.listed; getMs = $row.getMs; formatTableMs = $row.formatTableMs
            getMedianMs = $get; formatTableMedianMs = $ft; getPerSessionMs = $get / $row.size; formatTablePerSessionMs = $ft / $row.size
            setupMs = $row.setupMs; outputChars = $row.outputChars
        })
    }
    Stop-Simulator $sim0; $sim0 = $null

    # ---------------------------------------------------------------------------------------------------------
    # bulk, simulator with latency
    Write-Step "Bulk: simulator at --latency-ms $($P.BulkLatencyMs)"
    $sim50 = Start-Simulator $P.BulkLatencyMs
    Write-Host "simulator at $($sim50.BaseUrl)"

    # Issue 7: Clear-NacQodSession of 200 sessions of one device.
    Reset-Simulator $sim50
    Wait-Idle 'BulkClear'
    Write-Step "Clear-NacQodSession of $($P.BulkClearCount) sessions of one device ($($P.BulkClearSamples) sample(s))"
    $m = Invoke-Worker 'BulkClear' @{ BaseUrl = $sim50.BaseUrl; Count = $P.BulkClearCount; Samples = $P.BulkClearSamples; PhoneBase = 36770000000 }
    $clearMedian = Get-Median ([double[]]@($m.samples | ForEach-Object { $_.ms }))
    $BulkClear = [ordered]@{
        latencyMs = $P.BulkLatencyMs; count = $P.BulkClearCount; samples = $m.samples; medianMs = $clearMedian; hasThrottleLimit = $m.hasThrottleLimit
        requestsPerSample = $P.BulkClearCount + 1; effectiveConcurrency = (($P.BulkClearCount + 1) * $P.BulkLatencyMs) / $clearMedian
        tcpConnectionsOpened = Get-Median ([double[]]@($m.samples | ForEach-Object { $_.tcpConnectionsOpened }))
        clean = @($m.samples | Where-Object { $_.errors -ne 0 -or $_.sessionsLeft -ne 0 -or $_.removed -ne $P.BulkClearCount }).Count -eq 0
    }
    Write-Host ("median {0:N0} ms (effective concurrency {1:N1}; clean: {2})" -f $clearMedian, $BulkClear.effectiveConcurrency, $BulkClear.clean)

    # Issue 13: 1,000 creates then 1,000 removals, four clients, each in a fresh process per sample.
    $bulkClients = [ordered]@{
        'module-16' = @{ Label = 'NetworkAsCode, -ThrottleLimit 16'; Kind = 'worker'; Client = 'Module'; Limit = 16 }
        'module-32' = @{ Label = 'NetworkAsCode, -ThrottleLimit 32'; Kind = 'worker'; Client = 'Module'; Limit = 32 }
        'sdk-16'    = @{ Label = 'TS SDK, bounded Promise.all (pool of 16)'; Kind = 'node'; Limit = 16 }
        'irm-16'    = @{ Label = 'ForEach-Object -Parallel -ThrottleLimit 16 + Invoke-RestMethod'; Kind = 'worker'; Client = 'Irm'; Limit = 16 }
    }
    $bulkRaw = @{}; foreach ($k in $bulkClients.Keys) { $bulkRaw[$k] = [System.Collections.Generic.List[object]]::new() }
    $bulkNames = @($bulkClients.Keys)
    $bulkPhone = 36750000000
    for ($s = 0; $s -lt $P.BulkSamples; $s++) {
        $shift = $s % $bulkNames.Count
        $order = $bulkNames[$shift..($bulkNames.Count - 1)] + $(if ($shift -gt 0) { $bulkNames[0..($shift - 1)] } else { @() })
        foreach ($k in $order) {
            $c = $bulkClients[$k]
            Reset-Simulator $sim50
            Wait-Idle "bulk $k"
            Write-Step "Bulk $($P.BulkCount) creates then removals, sample $($s + 1)/$($P.BulkSamples): $($c.Label)"
            $bulkPhone += 100000
            $before = Get-SimStats $sim50
            $r = if ($c.Kind -eq 'node') {
                $a = @('bench.mjs', '--mode', 'bulk', '--base-url', $sim50.BaseUrl, '--count', $P.BulkCount, '--concurrency', $c.Limit, '--phone-base', $bulkPhone)
                $cmd = "cd bench/ts-sdk && node bench.mjs --mode bulk --base-url <sim> --count $($P.BulkCount) --concurrency $($c.Limit)"
                if (-not $Commands.Contains($cmd)) { $Commands.Add($cmd) }
                (Invoke-Native node $a $TsDir | Select-Object -Last 1) | ConvertFrom-Json -AsHashtable
            } else {
                Invoke-Worker 'Bulk' @{ BaseUrl = $sim50.BaseUrl; Client = $c.Client; ThrottleLimit = $c.Limit; Count = $P.BulkCount; PhoneBase = $bulkPhone }
            }
            $after = Get-SimStats $sim50
            $r['simCreated'] = $after.sessionsCreated - $before.sessionsCreated
            $r['simDeleted'] = $after.sessionsDeleted - $before.sessionsDeleted
            $r['sessionsLeft'] = $after.sessionsLive
            $r['clean'] = $r.createErrors -eq 0 -and $r.removeErrors -eq 0 -and $r.distinct -eq $P.BulkCount -and $r.simCreated -eq $P.BulkCount -and
                $r.simDeleted -eq $P.BulkCount -and $r.sessionsLeft -eq 0
            $r['totalMs'] = $r.createMs + $r.removeMs
            $bulkRaw[$k].Add($r)
            Write-Host ("create {0:N0} ms, remove {1:N0} ms, peak RSS {2:N0} MiB; created {3} distinct, simulator {4} created / {5} deleted / {6} left, errors {7}+{8}" -f
                $r.createMs, $r.removeMs, ($r.vmHwmKiB / 1024), $r.distinct, $r.simCreated, $r.simDeleted, $r.sessionsLeft, $r.createErrors, $r.removeErrors)
        }
    }
    $Bulk = [ordered]@{ latencyMs = $P.BulkLatencyMs; count = $P.BulkCount; samples = $P.BulkSamples; clients = [ordered]@{} }
    foreach ($k in $bulkNames) {
        $list = $bulkRaw[$k]
        $Bulk.clients[$k] = [ordered]@{
            label = $bulkClients[$k].Label; throttleLimit = $bulkClients[$k].Limit; raw = $list
            createMedianMs = Get-Median ([double[]]@($list | ForEach-Object { $_.createMs }))
            removeMedianMs = Get-Median ([double[]]@($list | ForEach-Object { $_.removeMs }))
            totalMedianMs = Get-Median ([double[]]@($list | ForEach-Object { $_.totalMs }))
            peakRssMiB = (Get-Median ([double[]]@($list | ForEach-Object { $_.vmHwmKiB }))) / 1024
            rssBeforeMiB = (Get-Median ([double[]]@($list | ForEach-Object { $_.rssBeforeKiB }))) / 1024
            clean = @($list | Where-Object { -not $_.clean }).Count -eq 0
        }
        $Bulk.clients[$k].createConcurrency = ($P.BulkCount * $P.BulkLatencyMs) / $Bulk.clients[$k].createMedianMs
        $Bulk.clients[$k].removeConcurrency = ($P.BulkCount * $P.BulkLatencyMs) / $Bulk.clients[$k].removeMedianMs
    }
} finally {
    Stop-Simulator $sim0
    Stop-Simulator $simIrm
    Stop-Simulator $sim50
    $Harness.Dispose()
}

# ---- bulk behind the gateway's rate limit (issue 10): its own script, its own simulators ------------------
Wait-Idle 'RateLimited'
Write-Step "Bulk behind a rate limit: $($P.RateCount) creates and removes at 40 requests/s (burst 10), -ThrottleLimit $($P.RateThrottleLimits -join ', ')"
$rateScript = Join-Path $BenchDir 'Measure-RateLimitedBulk.ps1'
$Commands.Add("dotnet pwsh ./bench/Measure-RateLimitedBulk.ps1 -ModulePath <module> -OutDir <out> -Count $($P.RateCount) -ThrottleLimits $($P.RateThrottleLimits -join ',')")
$RateLimited = & $rateScript -ModulePath $ModulePath -OutDir $OutDir -Count $P.RateCount -ThrottleLimits $P.RateThrottleLimits

# ---------------------------------------------------------------------------------------------------------
# targets (issues 7, 10 and 13), from this run

$mod = $PerOp.module.medianPerOpMs
$floorSum = $PerOp.httpclient.medianPerOpMs + $PerOp.'cmdlet-floor'.medianPerOpMs
$b16 = $Bulk.clients.'module-16'; $b32 = $Bulk.clients.'module-32'; $bSdk = $Bulk.clients.'sdk-16'; $bIrm = $Bulk.clients.'irm-16'
$memModule = $Memory.module
# Memory: "flat" when, between the reading after the warm-up and the one after the last operation (each after a
# forced full GC), the managed heap grew by less than 1 MiB (a leak of 100 bytes per operation over 10,000
# operations would be 1 MB) and the working set by less than 5 MiB (room for the runtime's own pools and GC
# regions, which move by a few MiB on their own).
$memoryFlat = $memModule.gcHeapGrowthMiB -lt 1 -and $memModule.workingSetGrowthMiB -lt 5
$Targets = @(
    # issue 13
    [ordered]@{ issue = 13; target = "Per op at steady state, module at most 1/2 of Nokia's TypeScript SDK"; measured = ('{0:N2}x ({1:N3} / {2:N3} ms)' -f ($mod / $PerOp.sdk.medianPerOpMs), $mod, $PerOp.sdk.medianPerOpMs); limit = '0.50x'; met = $mod -le 0.5 * $PerOp.sdk.medianPerOpMs }
    [ordered]@{ issue = 13; target = 'Per op at steady state, module at most 1/2 of the Invoke-RestMethod script'; measured = ('{0:N2}x ({1:N3} / {2:N3} ms)' -f ($mod / $PerOp.irm.medianPerOpMs), $mod, $PerOp.irm.medianPerOpMs); limit = '0.50x'; met = $mod -le 0.5 * $PerOp.irm.medianPerOpMs }
    [ordered]@{ issue = 13; target = 'Per op at steady state, module at most 1.5x the sum of the two floors'; measured = ('{0:N2}x ({1:N3} / {2:N3} ms)' -f ($mod / $floorSum), $mod, $floorSum); limit = '1.50x'; met = $mod -le 1.5 * $floorSum }
    [ordered]@{ issue = 13; target = "Import at most 25 ms over a trivial binary module (whole process, median of $($P.ImportRuns) interleaved; the dotnet tool's pwsh, IL only)"; measured = ('{0:N0} ms ({1:N0} / {2:N0} ms); any format + types file alone: {3:+0;-0} ms' -f $Import.overTrivialMs, $Import.moduleMedianMs, $Import.trivialMedianMs, $Import.formatAndTypesMs); limit = '25 ms'; met = $Import.overTrivialMs -le 25 }
    [ordered]@{ issue = 13; target = "First New-NacQodSession after import at most 60 ms over the second (median of $($P.FirstCallRuns) fresh processes; the dotnet tool's pwsh)"; measured = ('{0:N0} ms ({1:N1} / {2:N1} ms); first request over second of a bare .NET HttpClient: {3:N0} ms, Invoke-RestMethod: {4:N0} ms' -f $FirstCall.firstOverSecondMs, $FirstCall.firstNewNacQodSessionMsMedian, $FirstCall.secondNewNacQodSessionMsMedian,
        $FirstCall.httpClient.firstOverSecondMs, $FirstCall.irm.firstOverSecondMs); limit = '60 ms'; met = $FirstCall.firstOverSecondMs -le 60 }
    if ($Import.precompiledPwsh) {
        [ordered]@{ issue = 13; target = "The same import on a precompiled pwsh (as release packages ship it; median of $($P.ImportRuns) interleaved)"; measured = ('{0:N0} ms ({1:N0} / {2:N0} ms); any format + types file alone: {3:+0;-0} ms' -f $Import.overTrivialPrecompiledMs, $Import.modulePrecompiledMedianMs, $Import.trivialPrecompiledMedianMs, $Import.formatAndTypesPrecompiledMs); limit = '25 ms'; met = $Import.overTrivialPrecompiledMs -le 25 }
    }
    if ($FirstCall.Contains('precompiled')) {
        [ordered]@{ issue = 13; target = "The same first call on a precompiled pwsh (median of $($P.FirstCallRuns) fresh processes)"; measured = ('{0:N0} ms ({1:N1} / {2:N1} ms)' -f $FirstCall.precompiled.firstOverSecondMs, $FirstCall.precompiled.firstMs, $FirstCall.precompiled.secondMs); limit = '60 ms'; met = $FirstCall.precompiled.firstOverSecondMs -le 60 }
    }
    [ordered]@{ issue = 13; target = "Whole scheduled job (pwsh, import, create, delete) no slower than the Invoke-RestMethod job (median of $($P.JobRuns) interleaved)"; measured = ('{0:N2}x ({1:N0} / {2:N0} ms)' -f $Job.ratio, $Job.moduleMedianMs, $Job.irmMedianMs); limit = '1.00x'; met = $Job.moduleMedianMs -le $Job.irmMedianMs -and $Job.sessionsLeft -eq 0 -and $Job.sessionsCreated -eq 2 * ($P.JobRuns + 2) }
    [ordered]@{ issue = 13; target = "Bulk $($P.BulkCount) creates + removals at $($P.BulkLatencyMs) ms: module at -ThrottleLimit 32 faster than the TS SDK (16) and ForEach-Object -Parallel (16), every item created and removed"
        measured = ('{0:N0} ms vs {1:N0} ms (SDK) and {2:N0} ms (-Parallel); clean: {3}/{4}/{5}' -f $b32.totalMedianMs, $bSdk.totalMedianMs, $bIrm.totalMedianMs, $b32.clean, $bSdk.clean, $bIrm.clean)
        limit = 'faster than both'; met = $b32.clean -and $b32.totalMedianMs -lt $bSdk.totalMedianMs -and $b32.totalMedianMs -lt $bIrm.totalMedianMs }
    [ordered]@{ issue = 13; target = "Memory over $($memModule.operations) operations flat (after a forced GC: heap < +1 MiB, working set < +5 MiB)"; measured = ('heap {0:+0.00;-0.00} MiB, working set {1:+0.0;-0.0} MiB' -f $memModule.gcHeapGrowthMiB, $memModule.workingSetGrowthMiB); limit = '< 1 MiB, < 5 MiB'; met = $memoryFlat }
    # issue 7
    [ordered]@{ issue = 7; target = 'Import adds at most 60 ms to a bare pwsh start (median)'; measured = ('{0:N0} ms' -f $Import.addedMs); limit = '60 ms'; met = $Import.addedMs -le 60 }
    [ordered]@{ issue = 7; target = 'Per op, module at most 2x the sum of the two floors'; measured = ('{0:N2}x ({1:N3} / {2:N3} ms)' -f ($mod / $floorSum), $mod, $floorSum); limit = '2.00x'; met = $mod -le 2 * $floorSum }
    [ordered]@{ issue = 7; target = 'One pooled connection per endpoint in a sequential loop'; measured = "$($PerOp.module.tcpConnections) connection(s) for $($PerOp.module.httpRequests) requests"; limit = '1'; met = $PerOp.module.tcpConnections -eq 1 }
    [ordered]@{ issue = 7; target = "Clear-NacQodSession of $($P.BulkClearCount) sessions at $($P.BulkLatencyMs) ms latency under 1 s, every item removed, no error"; measured = ('{0:N0} ms (-ThrottleLimit: {1}; clean: {2})' -f $BulkClear.medianMs, $BulkClear.hasThrottleLimit, $BulkClear.clean); limit = '1000 ms'; met = ($BulkClear.medianMs -lt 1000) -and $BulkClear.clean -and $BulkClear.hasThrottleLimit }
    [ordered]@{ issue = 7; target = 'Bulk creation from a pipeline offers bounded concurrency (-ThrottleLimit, more than one in flight)'; measured = ('{0:N0} ms for {1} at -ThrottleLimit 16, effective concurrency {2:N1}' -f $b16.createMedianMs, $P.BulkCount, $b16.createConcurrency); limit = '> 2 in flight'; met = $b16.createConcurrency -gt 2 }
    foreach ($run in $RateLimited.runs) {
        $ra = if ($null -eq $run.retryAfter) { 'no Retry-After' } else { "Retry-After: $($run.retryAfter)" }
        $clean = $run.createErrors -eq 0 -and $run.removeErrors -eq 0 -and $run.distinct -eq $run.count -and $run.sessionsLeft -eq 0
        $worst = [math]::Max($run.createRatio, $run.removeRatio)
        [ordered]@{ issue = 10; target = "$($run.count) creates then removes at $($RateLimited.rate)/s (burst $($RateLimited.burst)), $ra, -ThrottleLimit $($run.throttleLimit): 0 failed items, at most 1.3x the time the rate allows"
            measured = ('create {0:N2}x, remove {1:N2}x of {2:N0} ms; {3} distinct, {4}+{5} errors, {6} left, {7} 429s' -f $run.createRatio, $run.removeRatio, $run.idealMs, $run.distinct, $run.createErrors, $run.removeErrors, $run.sessionsLeft, $run.rateLimited429)
            limit = '1.30x, 0 failed'; met = $clean -and $worst -le 1.3 }
    }
)

# ---------------------------------------------------------------------------------------------------------
# output: console tables, results.json, benchmarks.md

$rows = foreach ($name in 'module', 'irm', 'sdk', 'fetch', 'httpclient', 'cmdlet-floor') {
    $r = $PerOp[$name]
    [pscustomobject]@{
        Client            = $r.label
        'ms/op (median)'  = '{0:N3}' -f $r.medianPerOpMs
        'min-max'         = '{0:N3}-{1:N3}' -f $r.minPerOpMs, $r.maxPerOpMs
        'x module'        = '{0:N2}' -f ($r.medianPerOpMs / $mod)
        'over floor 1'    = if ($name -eq 'cmdlet-floor') { '-' } else { '{0:N3}' -f ($r.medianPerOpMs - $PerOp.httpclient.medianPerOpMs) }
        'warm-up: first/last block' = '{0:N3} / {1:N3}' -f $r.warmupCurvePerOpMs[0], $r.warmupCurvePerOpMs[-1]
        'steady after'    = if ($null -eq $r.settledAfterRounds) { 'not reached' } else { '{0:N0} rounds' -f $r.settledAfterRounds }
        'TCP conns'       = if ($null -eq $r.tcpConnections) { '-' } else { "$($r.tcpConnections)/$($r.httpRequests) req" }
    }
}
$labels = [ordered]@{
    bare = 'pwsh -NoProfile -Command exit (the runtime host and pwsh.dll directly)'; empty = 'Import-Module of an empty manifest module'
    trivial = 'Import-Module of a trivial binary module (one cmdlet)'; trivialFormatted = 'the trivial module with a format file (one view) and a types file (one property set)'
    module = 'Import-Module NetworkAsCode'
}
$importRows = @(
    foreach ($pwsh in '', 'Precompiled') {
        if ($pwsh -and -not $Import.precompiledPwsh) { continue }
        foreach ($name in $labels.Keys) {
            $ms = $Import["$name${pwsh}MedianMs"]
            if ($null -eq $ms) { continue }
            $bare = $Import["bare${pwsh}MedianMs"]; $trivial = $Import["trivial${pwsh}MedianMs"]
            [pscustomobject]@{
                pwsh = if ($pwsh) { 'precompiled' } else { 'dotnet tool (IL)' }; Process = $labels[$name]; 'ms (median)' = '{0:N0}' -f $ms
                'over bare' = if ($name -eq 'bare') { '-' } else { '{0:+0;-0}' -f ($ms - $bare) }
                'over trivial module' = if ($name -in 'trivialFormatted', 'module') { '{0:+0;-0}' -f ($ms - $trivial) } else { '-' }
            }
        }
    }
)
$bulkRows = foreach ($k in $Bulk.clients.Keys) {
    $b = $Bulk.clients[$k]
    [pscustomobject]@{
        Client = $b.label; 'create ms' = '{0:N0}' -f $b.createMedianMs; 'remove ms' = '{0:N0}' -f $b.removeMedianMs; 'total ms' = '{0:N0}' -f $b.totalMedianMs
        'in flight (create/remove)' = '{0:N1} / {1:N1}' -f $b.createConcurrency, $b.removeConcurrency
        'peak RSS MiB' = '{0:N0}' -f $b.peakRssMiB; 'RSS before MiB' = '{0:N0}' -f $b.rssBeforeMiB; 'all created and removed' = if ($b.clean) { 'yes' } else { 'NO' }
    }
}
$listingRows = foreach ($row in $Listing.sizes) {
    [pscustomobject]@{
        Sessions = $row.size; Listed = $row.listed; 'Get ms' = '{0:N1}' -f $row.getMedianMs; 'Get ms/session' = '{0:N3}' -f $row.getPerSessionMs
        'Get | Format-Table | Out-String ms' = '{0:N1}' -f $row.formatTableMedianMs; 'Format-Table ms/session' = '{0:N3}' -f $row.formatTablePerSessionMs
    }
}
$other = @(
    [pscustomobject]@{ Measurement = "In-process Import-Module (median of $($P.FirstCallRuns))"; Value = '{0:N0} ms' -f $FirstCall.importMsMedian }
    [pscustomobject]@{ Measurement = 'First New-NacQodSession after import / second (Connect-Nac and New-NacDevice before them)'; Value = '{0:N1} ms / {1:N1} ms (first costs {2:N1} ms more)' -f $FirstCall.firstNewNacQodSessionMsMedian, $FirstCall.secondNewNacQodSessionMsMedian, $FirstCall.firstOverSecondMs }
    if ($FirstCall.Contains('precompiled')) { [pscustomobject]@{ Measurement = 'The same on a precompiled pwsh: in-process Import-Module; first / second New-NacQodSession'; Value = '{0:N0} ms; {1:N1} ms / {2:N1} ms (first costs {3:N1} ms more)' -f $FirstCall.precompiled.importMs, $FirstCall.precompiled.firstMs, $FirstCall.precompiled.secondMs, $FirstCall.precompiled.firstOverSecondMs } }
    [pscustomobject]@{ Measurement = 'First create / second of a bare .NET HttpClient process (bench/HttpFloor --first-call 1)'; Value = '{0:N1} ms / {1:N1} ms (first costs {2:N1} ms more)' -f $FirstCall.httpClient.firstMs, $FirstCall.httpClient.secondMs, $FirstCall.httpClient.firstOverSecondMs }
    [pscustomobject]@{ Measurement = 'First Invoke-RestMethod create of a fresh pwsh / second'; Value = '{0:N1} ms / {1:N1} ms (first costs {2:N1} ms more)' -f $FirstCall.irm.firstMs, $FirstCall.irm.secondMs, $FirstCall.irm.firstOverSecondMs }
    [pscustomobject]@{ Measurement = 'First Get-NacQodSession / Remove-NacQodSession; second Get + Remove'; Value = '{0:N1} ms / {1:N1} ms; {2:N1} ms' -f $FirstCall.firstGetNacQodSessionMsMedian, $FirstCall.firstRemoveNacQodSessionMsMedian, $FirstCall.secondGetAndRemoveMsMedian }
    [pscustomobject]@{ Measurement = "Whole job, module / Invoke-RestMethod (median of $($P.JobRuns))"; Value = '{0:N0} ms / {1:N0} ms ({2:N2}x)' -f $Job.moduleMedianMs, $Job.irmMedianMs, $Job.ratio }
    [pscustomobject]@{ Measurement = "Clear-NacQodSession, $($P.BulkClearCount) sessions at $($P.BulkLatencyMs) ms (median of $($P.BulkClearSamples))"; Value = '{0:N0} ms (concurrency {1:N1})' -f $BulkClear.medianMs, $BulkClear.effectiveConcurrency }
    [pscustomobject]@{ Measurement = 'Working set growth: import (module)'; Value = '{0:N1} MiB' -f $Memory.module.importGrowthMiB }
    foreach ($c in 'module', 'irm') {
        $mm = $Memory[$c]
        [pscustomobject]@{ Measurement = "$(if ($c -eq 'module') { 'Module' } else { 'Invoke-RestMethod' }): after $($Memory.warmupOperations) warm-up ops, then +$($mm.operations) ops (forced GC before each reading)"
            Value = 'working set {0:N1} MiB {1:+0.0;-0.0}, heap {2:N2} MiB {3:+0.00;-0.00} (heap per checkpoint: {4})' -f $mm.afterWarmupWorkingSetMiB, $mm.workingSetGrowthMiB, $mm.afterWarmupGcHeapMiB, $mm.gcHeapGrowthMiB, ($mm.gcHeapPerCheckpointMiB -join ', ') }
    }
)
$Elapsed = (Get-Date) - $Started
$Machine.loadAverageAtEnd = (Get-LoadAverage) -join ' '
Write-Host ''
Write-Host "NetworkAsCode benchmark ($(if ($Quick) { 'quick' } else { 'full' }) mode, $([int]$Elapsed.TotalSeconds) s) on $($Machine.nproc) cores, $($Machine.os); load average at start $($Machine.loadAverageAtStart), at end $($Machine.loadAverageAtEnd)" -ForegroundColor Green
Write-Host "Per operation at steady state (create -> get -> delete, simulator without latency; median of $($P.Passes * $P.Samples) samples of $($P.Rounds) rounds: $($P.Passes) pass(es) x $($P.Samples), each pass a fresh process after $($P.Warmup) warm-up rounds):"
$rows | Format-Table -AutoSize | Out-String -Width 220 | Write-Host
Write-Host "Import (whole process, median of $($P.ImportRuns) interleaved):"
$importRows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
Write-Host "Bulk: $($P.BulkCount) creates then $($P.BulkCount) removals at $($P.BulkLatencyMs) ms latency (median of $($P.BulkSamples)):"
$bulkRows | Format-Table -AutoSize | Out-String -Width 220 | Write-Host
Write-Host 'Listing one device''s sessions:'
$listingRows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
$other | Format-Table -AutoSize -Wrap | Out-String -Width 220 | Write-Host
Write-Host 'Targets (issues 13, 7 and 10):'
$Targets | ForEach-Object { [pscustomobject]@{ Issue = $_.issue; Target = $_.target; Measured = $_.measured; Limit = $_.limit; Result = if ($_.met) { 'met' } else { 'NOT MET' } } } |
    Format-Table -AutoSize -Wrap | Out-String -Width 220 | Write-Host

$Results = [ordered]@{
    generatedAt = $Started.ToUniversalTime().ToString('o'); mode = if ($Quick) { 'quick' } else { 'full' }; elapsedSeconds = [int]$Elapsed.TotalSeconds
    machine = $Machine; phaseLoad = $PhaseLoad; modulePath = $ModulePath; simulatorPath = $SimulatorPath; parameters = $P
    commands = $Commands
    import = $Import; firstCall = $FirstCall; job = $Job; perOperation = $PerOp; memory = $Memory; listing = $Listing
    bulkClear = $BulkClear; bulk = $Bulk; rateLimited = $RateLimited; targets = $Targets
    notes = @(
        "Per operation = sample time / (3 x rounds); each round is create, get, delete of a session of its own device; median over samples. Every client first runs $($P.Warmup) warm-up rounds, timed in blocks of $($P.WarmupBlock); 'steady after' is how many warm-up rounds ran before a block first came within 15 % of the client's median."
        'Floor 2 is Write-Output -InputObject called 4 times per round, each result assigned: the module loop calls 4 binary cmdlets per round (New-NacDevice, New-NacQodSession, Get-NacQodSession, Remove-NacQodSession), each binding named parameters and assigning its output.'
        'Import and whole job: whole processes started as the runtime host with pwsh.dll of the running PowerShell (as a scheduler starts an installed pwsh; `dotnet pwsh` would add its tool-manifest lookup, ~0.4 s and noisy, to every variant), from the repository root; the variants interleaved with a rotating order, after 2 unmeasured runs of each.'
        'Precompiled pwsh: the dotnet tool package of PowerShell is IL only; its release packages are built precompiled. A copy of PSHOME (out/bench/pwsh-precompiled) with System.Management.Automation, pwsh, the console host, Commands.Utility/Management, Security, the SDK, ApplicationInsights and Newtonsoft.Json compiled by crossgen2 (ReadyToRun) stands for an installed pwsh: there PowerShell''s own import code (manifest, format and types loaders) is not JIT-compiled first.'
        'Import baselines: bench/TrivialModule/TrivialFormatted.psd1 is the trivial module plus a format file with one table view and a types file with one default display property set (the two kinds of file this module ships; the view is never used): what PowerShell spends on such files whatever they hold.'
        'First call: Import-Module, New-NacDevice, Connect-Nac, then New-NacQodSession twice in a row (two devices); the difference is what the first API call costs on its own. Peers in fresh processes too: bench/HttpFloor --first-call 1 (two creates by a bare HttpClient, as floor 1 sends them) and the first two Invoke-RestMethod creates of a fresh pwsh (bench/BenchWorker.ps1 -Scenario FirstCall -Client Irm).'
        'Whole job: bench/jobs/ModuleJob.ps1 and bench/jobs/IrmJob.ps1 as `pwsh -NoProfile -File`, the token and endpoint in NAC_TOKEN / NAC_BASE_URL, interleaved, after 2 unmeasured runs of each.'
        'TCP connections: client-side ports of rows to/from the simulator port in `ss -Htan` (any state, TIME-WAIT included) after the run and not before it. The Invoke-RestMethod per-op loop (a connection per request) runs against a second simulator so that its TIME-WAIT ports, reused by the kernel, cannot hide the other clients'' connections.'
        "Memory: each reading after a forced full GC (GC.Collect, WaitForPendingFinalizers, GC.Collect); the warm-up ($($P.MemoryWarmupOps) operations) is the per-op one, so the run starts at steady state; `"flat`" = heap growth < 1 MiB (100 bytes per operation over 10,000) and working-set growth < 5 MiB between the reading after the warm-up and the last one."
        'Bulk (1,000): devices built before the clock starts; the module pipes devices into New-NacQodSession -ThrottleLimit N and the created sessions into Remove-NacQodSession -ThrottleLimit N; the TS SDK runs a pool of 16 workers over createSessionV1 then deleteSessionV1 (maxRetries 0); ForEach-Object -Parallel -ThrottleLimit 16 runs Invoke-RestMethod POST then DELETE. Peak RSS = VmHWM of the client process over its whole life (runtime start and import included); RSS before = VmRSS just before the creates. Every item checked on the simulator (sessions created, deleted, left).'
        'Listing: one device holding N sessions on distinct service ports, set up by a plain HttpClient (16 connections, not measured); after a warm-up of 8 formatted listings of 1,000 (timed, reported apart); median of the timings (at most 3 at 10,000).'
        'Bulk clear (issue 7): setup made concurrently by a plain HttpClient and not measured; the process first warms up with one create and one clear.'
        'Rate-limited bulk (bench/Measure-RateLimitedBulk.ps1): the simulator''s gateway at --rate-limit 40 --rate-burst 10, a fresh key and a fresh pwsh per run; the ideal is (count - burst) / rate per phase; times include no warm-up.'
    )
}
$jsonPath = Join-Path $OutDir 'results.json'
$Results | ConvertTo-Json -Depth 12 | Set-Content -Path $jsonPath -Encoding utf8

# ---- markdown ---------------------------------------------------------------------------------------------
$md = [System.Text.StringBuilder]::new()
function Add-Md([string] $line = '') { [void]$md.AppendLine($line) }
function Add-MdTable($objects) {
    $props = @($objects[0].PSObject.Properties.Name)
    Add-Md ('| ' + (($props | ForEach-Object { $_.Replace('|', '\|') }) -join ' | ') + ' |')
    Add-Md ('|' + (($props | ForEach-Object { '---' }) -join '|') + '|')
    foreach ($o in $objects) { Add-Md ('| ' + (($props | ForEach-Object { "$($o.$_)".Replace('|', '\|') }) -join ' | ') + ' |') }
}
Add-Md '# Benchmarks'
Add-Md ''
Add-Md "Generated by ``bench/Invoke-Benchmark.ps1`` ($($Results.mode) mode, $($Results.elapsedSeconds) s) on $($Started.ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC. Raw samples: ``$([System.IO.Path]::GetRelativePath($RepoRoot, $jsonPath))``."
Add-Md ''
Add-Md '## Machine'
Add-Md ''
Add-Md "$($Machine.nproc) cores ($($Machine.cpu)), $($Machine.memoryMiB) MiB, $($Machine.os) (kernel $($Machine.kernel)); .NET SDK $($Machine.dotnet); PowerShell $($Machine.pwsh) (``$PwshDisplay``); Node $($Machine.node); network-as-code $($Machine.tsSdk); repository at $($Machine.repoCommit). Everything on 127.0.0.1: the bundled simulator (``--available-delay-ms 0``) in its own process, each client in a fresh process."
Add-Md ''
Add-Md "Load average at start $($Machine.loadAverageAtStart), at end $($Machine.loadAverageAtEnd); CPU busy in the 2 s before the start: $($Machine.cpuBusyBeforeStartPercent) %; highest CPU busy at the start of a phase (0.5 s probe, all processes): $(($PhaseLoad | ForEach-Object { $_.cpuBusyPercent } | Measure-Object -Maximum).Maximum) %. Other work on this 2-core machine moves every figure: ``phaseLoad`` in results.json has the load at the start of each phase."
Add-Md ''
Add-Md '## Targets (issues 13, 7 and 10)'
Add-Md ''
Add-Md '| Issue | Target | Measured | Limit | Result |'
Add-Md '|---|---|---|---|---|'
foreach ($t in $Targets) { Add-Md "| $($t.issue) | $($t.target) | $($t.measured) | $($t.limit) | $(if ($t.met) { 'met' } else { '**not met**' }) |" }
Add-Md ''
Add-Md '## Per operation, at steady state'
Add-Md ''
Add-Md "Create -> get -> delete rounds against the simulator without latency; per operation = sample time / (3 x rounds); median of $($P.Passes * $P.Samples) samples of $($P.Rounds) rounds ($($P.Passes) pass(es), each client in a fresh process per pass, order rotated). Every client first runs $($P.Warmup) warm-up rounds, timed in blocks of $($P.WarmupBlock): ""first/last block"" is the per-op time of the first and last warm-up block (median over passes), ""steady after"" how many warm-up rounds ran before a block first came within 15 % of the client's median (later blocks can still spike with the machine's load)."
Add-Md ''
Add-MdTable $rows
Add-Md ''
Add-Md '"Over floor 1" is the client-side cost above the bare HttpClient loop, which carries the simulator''s own time and the loopback round trip.'
Add-Md ''
Add-Md '```mermaid'
Add-Md 'xychart-beta'
Add-Md '    title "ms per operation at steady state (lower is better)"'
Add-Md ('    x-axis ["module", "Invoke-RestMethod", "TS SDK", "fetch", "HttpClient floor", "cmdlet floor"]')
Add-Md ('    y-axis "ms/op"')
Add-Md ('    bar [' + ((@('module', 'irm', 'sdk', 'fetch', 'httpclient', 'cmdlet-floor') | ForEach-Object { '{0:0.000}' -f $PerOp[$_].medianPerOpMs }) -join ', ') + ']')
Add-Md '```'
Add-Md ''
Add-Md "Warm-up curves (ms per op per block of $($P.WarmupBlock) rounds, median over passes):"
Add-Md ''
foreach ($name in 'module', 'irm', 'sdk', 'fetch', 'httpclient', 'cmdlet-floor') { Add-Md "- $($PerOp[$name].label): $(($PerOp[$name].warmupCurvePerOpMs | ForEach-Object { '{0:N3}' -f $_ }) -join ', ')" }
Add-Md ''
Add-Md "## Import (whole process, median of $($P.ImportRuns) interleaved)"
Add-Md ''
Add-MdTable $importRows
Add-Md ''
Add-Md ("A format and a types file cost any module {0:+0;-0} ms here{1}; this module costs {2:+0;-0} ms over the trivial module that has them{3}. The dotnet tool's pwsh is IL only: there PowerShell JIT-compiles its own manifest, format and types code on the first import that needs it; release packages of pwsh are precompiled (the precompiled rows)." -f
    $Import.formatAndTypesMs, $(if ($Import.precompiledPwsh) { ' ({0:+0;-0} ms on a precompiled pwsh)' -f $Import.formatAndTypesPrecompiledMs }), $Import.overTrivialFormattedMs,
    $(if ($Import.precompiledPwsh) { ' ({0:+0;-0} ms on a precompiled pwsh)' -f $Import.overTrivialFormattedPrecompiledMs } else { " (no precompiled pwsh: $($Import.precompiledPwshReason))" }))
Add-Md ''
Add-Md "## Bulk: $($P.BulkCount) creates then $($P.BulkCount) removals at $($P.BulkLatencyMs) ms latency (median of $($P.BulkSamples))"
Add-Md ''
Add-MdTable @($bulkRows)
Add-Md ''
Add-Md '"In flight" = requests x latency / elapsed. Peak RSS: VmHWM of the client process over its whole life; RSS before: just before the first create.'
Add-Md ''
Add-Md '## Listing one device''s sessions'
Add-Md ''
Add-MdTable @($listingRows)
Add-Md ''
Add-Md "Measured after a warm-up of 8 listings of 1,000 sessions through Format-Table | Out-String, which took $(($Listing.warmupFormatTable1000Ms | ForEach-Object { '{0:N0}' -f $_ }) -join ', ') ms (the first is what a first listing in a fresh session pays)."
Add-Md ''
Add-Md '## First call, whole job, memory, bulk clear'
Add-Md ''
Add-Md '| Measurement | Value |'
Add-Md '|---|---:|'
foreach ($o in $other) { Add-Md "| $($o.Measurement) | $($o.Value) |" }
Add-Md ''
$loadedList = ($FirstCall.assembliesLoaded | ForEach-Object { '`' + $_ + '`' }) -join ', '
Add-Md "Assemblies of interest loaded after the first round: $loadedList."
Add-Md ''
Add-Md '## Rate-limited bulk (issue 10)'
Add-Md ''
Add-Md '| Retry-After | -ThrottleLimit | create ms | remove ms | ideal ms | distinct | errors | left | 429s |'
Add-Md '|---|---:|---:|---:|---:|---:|---:|---:|---:|'
foreach ($run in $RateLimited.runs) { Add-Md "| $(if ($null -eq $run.retryAfter) { 'none' } else { "$($run.retryAfter) s" }) | $($run.throttleLimit) | $($run.createMs) | $($run.removeMs) | $($run.idealMs) | $($run.distinct)/$($run.count) | $($run.createErrors)+$($run.removeErrors) | $($run.sessionsLeft) | $($run.rateLimited429) |" }
Add-Md ''
Add-Md '## Commands'
Add-Md ''
Add-Md '```'
Add-Md 'dotnet tool restore; dotnet pwsh ./build.ps1 Bench        # builds, runs the full harness, copies benchmarks.md to docs/'
Add-Md "dotnet pwsh ./bench/Invoke-Benchmark.ps1 -ModulePath ./out/NetworkAsCode -OutDir ./out/bench$(if ($Quick) { ' -Quick' })"
Add-Md '```'
Add-Md ''
Add-Md 'Which runs:'
Add-Md ''
Add-Md '```'
foreach ($c in $Commands) { Add-Md ($c.Replace($RepoRoot + '/', '').Replace($RepoRoot, '.')) }
Add-Md '```'
Add-Md ''
Add-Md '## Method notes'
Add-Md ''
foreach ($n in $Results.notes) { Add-Md "- $n" }
$mdPath = Join-Path $OutDir 'benchmarks.md'
Set-Content -Path $mdPath -Value $md.ToString() -Encoding utf8
Write-Host "Wrote $jsonPath and $mdPath"
