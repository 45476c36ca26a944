#requires -Version 7.0
<#
.SYNOPSIS
    Benchmarks the NetworkAsCode module against the alternatives and the floors of its stack, side by side.
.DESCRIPTION
    Runs everything on this machine in one go and prints one table:
      import      `pwsh -NoProfile -Command "Import-Module <module>"` against `pwsh -NoProfile -Command exit`
                  (whole processes, interleaved, median), plus in-process import and first-call times;
      per op      create -> get -> delete rounds against the bundled simulator (no latency), per operation =
                  sample time / (3 x rounds), median of samples: the module's cmdlets; a hand-written
                  Invoke-RestMethod script; Nokia's TypeScript SDK (npm network-as-code 10.0.0); bare fetch in
                  Node; floor 1, a bare .NET HttpClient loop (bench/HttpFloor); floor 2, a PowerShell loop of 4
                  trivial cmdlet calls per round;
      connections TCP connections each client opened to the simulator (ss -tan before and after the run);
      bulk        Clear-NacQodSession of 200 sessions of one device, and 200 devices piped into
                  New-NacQodSession, with the simulator at --latency-ms 50;
      rate limit  300 creates then removes through the simulator's gateway at 40 requests/s, burst 10, with
                  -ThrottleLimit 1, 16 and 32, without and with Retry-After: 1 (bench/Measure-RateLimitedBulk.ps1);
      memory      working set of the pwsh process before and after import and after 1,000 operations;
      targets     the ratios named by issues 7 and 10, from this same run, each met or not met.
    Writes <OutDir>/results.json (machine, commands, raw samples, medians) and <OutDir>/benchmarks.md.
    Every measured client runs in its own fresh process; the simulator is its own process on 127.0.0.1.
.PARAMETER ModulePath
    The built module folder (out/NetworkAsCode), importable by path. Its simulator/ folder is used unless
    -SimulatorPath is given.
.PARAMETER Quick
    Fewer repetitions: a smoke run of under 2 minutes.
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

# Repetitions. Full mode fits in ~5 minutes on 2 cores; -Quick in under 2.
$P = if ($Quick) {
    @{ ImportRuns = 5; FirstCallRuns = 3; Passes = 1; Warmup = 30; Samples = 3; Rounds = 100; MemoryRuns = 1; MemoryOps = 1000; BulkSamples = 1; BulkCount = 200; BulkLatencyMs = 50 }
} else {
    @{ ImportRuns = 21; FirstCallRuns = 7; Passes = 3; Warmup = 100; Samples = 3; Rounds = 300; MemoryRuns = 3; MemoryOps = 1000; BulkSamples = 3; BulkCount = 200; BulkLatencyMs = 50 }
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

function Invoke-Worker([string] $scenario, [hashtable] $arguments) {
    $result = Join-Path $WorkDir ("$scenario-" + [guid]::NewGuid().ToString('N').Substring(0, 8) + '.json')
    $list = $PwshPrefix + @('-NoProfile', '-NonInteractive', '-File', $Worker, '-Scenario', $scenario, '-ResultPath', $result, '-ModulePath', $ModulePath)
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
$Commands.Add("cd bench/ts-sdk && npm ci")
$Commands.Add("dotnet build bench/HttpFloor/HttpFloor.csproj -c Release")

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
    moduleVersion  = (Import-PowerShellDataFile (Join-Path $ModulePath 'NetworkAsCode.psd1')).ModuleVersion
    moduleFiles    = @(Get-ChildItem $ModulePath -Recurse -File -Filter *.dll | Where-Object { $_.FullName -notlike '*simulator*' } | ForEach-Object { $_.FullName.Substring($ModulePath.Length + 1) })
}
$Machine.loadAverageAtStart = (Get-LoadAverage) -join ' '
$Machine.cpuBusyBeforeStartPercent = Get-CpuBusyPercent 2
Write-Host "$($Machine.nproc) cores, $($Machine.memoryMiB) MiB, $($Machine.os); dotnet $($Machine.dotnet), pwsh $PwshVersion, node $($Machine.node)"
Write-Host "load average $($Machine.loadAverageAtStart); CPU busy over the last 2 s: $($Machine.cpuBusyBeforeStartPercent) %"
if ($Machine.cpuBusyBeforeStartPercent -gt 10) { Write-Warning "The machine is busy ($($Machine.cpuBusyBeforeStartPercent) % CPU before the benchmark started): figures will be noisy; rerun on an idle machine." }

# ---------------------------------------------------------------------------------------------------------
# 1. import: whole processes, interleaved so that drift hits both alike

Wait-Idle 'import'
Write-Step "Import: $($P.ImportRuns) x bare pwsh start against $($P.ImportRuns) x pwsh + Import-Module (interleaved)"
$bareArgs = $PwshPrefix + @('-NoProfile', '-Command', 'exit')
$importArgs = $PwshPrefix + @('-NoProfile', '-Command', "Import-Module '$ModulePath'")
$Commands.Add("$PwshFile $($bareArgs -join ' ')")
$Commands.Add("$PwshFile $($PwshPrefix -join ' ') -NoProfile -Command `"Import-Module '$ModulePath'`"")
function Measure-Process([string[]] $arguments) {
    $info = [System.Diagnostics.ProcessStartInfo]::new($PwshFile)
    foreach ($a in $arguments) { $info.ArgumentList.Add($a) }
    $info.WorkingDirectory = $RepoRoot
    $info.UseShellExecute = $false
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($info)
    $p.WaitForExit()
    $sw.Stop()
    if ($p.ExitCode -ne 0) { throw "$PwshFile $($arguments -join ' ') exited with $($p.ExitCode)" }
    $sw.Elapsed.TotalMilliseconds
}
# Warm the file cache and the tool manifest lookup first (not counted).
1..2 | ForEach-Object { Measure-Process $bareArgs | Out-Null; Measure-Process $importArgs | Out-Null }
$bareRuns = [System.Collections.Generic.List[double]]::new()
$importRuns = [System.Collections.Generic.List[double]]::new()
for ($i = 0; $i -lt $P.ImportRuns; $i++) {
    if ($i % 2) { $importRuns.Add((Measure-Process $importArgs)); $bareRuns.Add((Measure-Process $bareArgs)) }
    else { $bareRuns.Add((Measure-Process $bareArgs)); $importRuns.Add((Measure-Process $importArgs)) }
}
$Import = [ordered]@{
    runs = $P.ImportRuns; bareMs = $bareRuns; importMs = $importRuns
    bareMedianMs = Get-Median $bareRuns; importMedianMs = Get-Median $importRuns
}
$Import.addedMs = $Import.importMedianMs - $Import.bareMedianMs
Write-Host ("bare {0:N0} ms, with import {1:N0} ms: import adds {2:N0} ms" -f $Import.bareMedianMs, $Import.importMedianMs, $Import.addedMs)

# ---------------------------------------------------------------------------------------------------------
# 2. per operation, simulator without latency

$sim0 = $null; $sim50 = $null
try {
    Write-Step 'Starting the simulator (no latency)'
    $sim0 = Start-Simulator 0
    Write-Host "simulator at $($sim0.BaseUrl)"
    # Warm the simulator's own JIT so the first client measured does not pay for it.
    Invoke-Native dotnet @($FloorDll, '--base-url', $sim0.BaseUrl, '--warmup', '1000', '--samples', '1', '--rounds', '500') | Out-Null
    Start-Sleep -Seconds 1

    $loop = @{ Warmup = $P.Warmup; Samples = $P.Samples; Rounds = $P.Rounds }
    $clients = [ordered]@{
        httpclient     = @{ Label = 'Floor 1: bare .NET HttpClient loop (C#)'; Reference = '0.045' }
        'cmdlet-floor' = @{ Label = 'Floor 2: PowerShell loop, 4 trivial cmdlet calls/round'; Reference = '0.075' }
        module         = @{ Label = 'NetworkAsCode cmdlets'; Reference = '' }
        irm            = @{ Label = 'Hand-written Invoke-RestMethod script'; Reference = '0.6-0.8' }
        sdk            = @{ Label = "Nokia TypeScript SDK (network-as-code $($Machine.tsSdk))"; Reference = '0.55-0.8' }
        fetch          = @{ Label = 'Bare fetch in Node'; Reference = '0.37-0.48' }
    }
    $names = @($clients.Keys)
    $raw = @{}; $conns = @{}; $reqs = @{}
    foreach ($name in $names) { $raw[$name] = [System.Collections.Generic.List[object]]::new(); $conns[$name] = [System.Collections.Generic.List[int]]::new(); $reqs[$name] = [System.Collections.Generic.List[long]]::new() }
    $phone = 36700000000
    # Several passes, each client in a fresh process per pass, the order rotated: a burst of background load
    # then hits every client alike instead of one.
    for ($pass = 0; $pass -lt $P.Passes; $pass++) {
        $order = $names[$pass..($names.Count - 1)] + $(if ($pass -gt 0) { $names[0..($pass - 1)] } else { @() })
        foreach ($name in $order) {
            Wait-Idle "per-op pass $($pass + 1) $name"
            Write-Step "Per operation, pass $($pass + 1)/$($P.Passes): $($clients[$name].Label) ($($P.Warmup) warm-up rounds, then $($P.Samples) x $($P.Rounds) rounds)"
            Reset-Simulator $sim0
            $phone += 1000000
            $m = Measure-Connections $sim0 {
                switch ($name) {
                    'httpclient' {
                        $a = @($FloorDll, '--base-url', $sim0.BaseUrl, '--warmup', $P.Warmup, '--samples', $P.Samples, '--rounds', $P.Rounds, '--phone-base', $phone)
                        $c = "dotnet bench/HttpFloor/bin/Release/net10.0/HttpFloor.dll --base-url <sim> --warmup $($P.Warmup) --samples $($P.Samples) --rounds $($P.Rounds)"
                        if (-not $Commands.Contains($c)) { $Commands.Add($c) }
                        (Invoke-Native dotnet $a | Select-Object -Last 1) | ConvertFrom-Json -AsHashtable
                    }
                    { $_ -in 'sdk', 'fetch' } {
                        $a = @('bench.mjs', '--client', $name, '--base-url', $sim0.BaseUrl, '--warmup', $P.Warmup, '--samples', $P.Samples, '--rounds', $P.Rounds, '--phone-base', $phone)
                        $c = "cd bench/ts-sdk && node bench.mjs --client $name --base-url <sim> --warmup $($P.Warmup) --samples $($P.Samples) --rounds $($P.Rounds)"
                        if (-not $Commands.Contains($c)) { $Commands.Add($c) }
                        (Invoke-Native node $a $TsDir | Select-Object -Last 1) | ConvertFrom-Json -AsHashtable
                    }
                    'module' { Invoke-Worker 'ModuleOps' ($loop + @{ BaseUrl = $sim0.BaseUrl; PhoneBase = $phone }) }
                    'irm' { Invoke-Worker 'IrmOps' ($loop + @{ BaseUrl = $sim0.BaseUrl; PhoneBase = $phone }) }
                    'cmdlet-floor' { Invoke-Worker 'CmdletFloor' ($loop + @{ PhoneBase = $phone }) }
                }
            }
            foreach ($sample in $m.Result.samples) { $sample['pass'] = $pass + 1; $raw[$name].Add($sample) }
            $conns[$name].Add($m.Connections); $reqs[$name].Add($m.Requests)
            $v = [double[]]@($m.Result.samples | ForEach-Object { $_.perOpMs })
            Write-Host ("median {0:N3} ms per op this pass; {1} requests over {2} TCP connection(s)" -f (Get-Median $v), $m.Requests, $m.Connections)
        }
    }
    $PerOp = [ordered]@{}
    foreach ($name in $names) {
        $perOpValues = [double[]]@($raw[$name] | ForEach-Object { $_.perOpMs })
        $PerOp[$name] = [ordered]@{
            label = $clients[$name].Label; issueReferenceMs = $clients[$name].Reference
            passes = $P.Passes; warmupRounds = $P.Warmup; rounds = $P.Rounds; sampleCount = $perOpValues.Count; samples = $raw[$name]
            medianPerOpMs = Get-Median $perOpValues; minPerOpMs = ($perOpValues | Measure-Object -Minimum).Minimum; maxPerOpMs = ($perOpValues | Measure-Object -Maximum).Maximum
            tcpConnectionsPerPass = if ($name -eq 'cmdlet-floor') { $null } else { $conns[$name] }
            tcpConnections = if ($name -eq 'cmdlet-floor') { $null } else { ($conns[$name] | Measure-Object -Maximum).Maximum }
            httpRequestsPerPass = if ($name -eq 'cmdlet-floor') { $null } else { $reqs[$name] }
            httpRequests = if ($name -eq 'cmdlet-floor') { 0 } else { $reqs[$name][0] }
        }
    }

    # ---- first call after import (fresh processes) ------------------------------------------------------
    Wait-Idle 'first call'
    Write-Step "First calls after import: $($P.FirstCallRuns) fresh processes"
    $first = [System.Collections.Generic.List[object]]::new()
    for ($i = 0; $i -lt $P.FirstCallRuns; $i++) {
        Reset-Simulator $sim0
        $first.Add((Invoke-Worker 'FirstCall' @{ BaseUrl = $sim0.BaseUrl; PhoneBase = 36790000000 + 10 * $i }))
    }
    $FirstCall = [ordered]@{ runs = $P.FirstCallRuns; raw = $first; assembliesLoaded = $first[0].assembliesLoaded }
    foreach ($key in 'importMs', 'firstNewNacDeviceMs', 'firstConnectNacMs', 'firstNewNacQodSessionMs', 'firstGetNacQodSessionMs',
        'firstRemoveNacQodSessionMs', 'firstRoundMs', 'secondRoundMs') {
        $FirstCall["${key}Median"] = Get-Median ([double[]]@($first | ForEach-Object { $_[$key] }))
    }
    Write-Host ("in-process Import-Module {0:N0} ms; first New-NacDevice {1:N1} ms; first New-NacQodSession {2:N1} ms; first round {3:N1} ms, second round {4:N1} ms" -f
        $FirstCall.importMsMedian, $FirstCall.firstNewNacDeviceMsMedian, $FirstCall.firstNewNacQodSessionMsMedian, $FirstCall.firstRoundMsMedian, $FirstCall.secondRoundMsMedian)

    # ---- memory -----------------------------------------------------------------------------------------
    Wait-Idle 'memory'
    Write-Step "Memory: working set after import and after $($P.MemoryOps) operations ($($P.MemoryRuns) fresh process(es) each, module and Invoke-RestMethod)"
    $Memory = [ordered]@{ runs = $P.MemoryRuns; operations = $P.MemoryOps }
    foreach ($client in 'Module', 'Irm') {
        $raw = [System.Collections.Generic.List[object]]::new()
        for ($i = 0; $i -lt $P.MemoryRuns; $i++) {
            Reset-Simulator $sim0
            $raw.Add((Invoke-Worker 'Memory' @{ BaseUrl = $sim0.BaseUrl; Client = $client; Operations = $P.MemoryOps; PhoneBase = 36780000000 + 10000 * $i }))
        }
        $MiB = 1MB
        $Memory[$client.ToLower()] = [ordered]@{
            raw                  = $raw
            importGrowthMiB      = (Get-Median ([double[]]@($raw | ForEach-Object { $_.afterImport.WorkingSet - $_.start.WorkingSet }))) / $MiB
            opsGrowthMiB         = (Get-Median ([double[]]@($raw | ForEach-Object { $_.afterOps.WorkingSet - $_.afterImport.WorkingSet }))) / $MiB
            totalGrowthMiB       = (Get-Median ([double[]]@($raw | ForEach-Object { $_.afterOps.WorkingSet - $_.start.WorkingSet }))) / $MiB
            gcHeapAfterGcMiB     = (Get-Median ([double[]]@($raw | ForEach-Object { $_.afterOpsAndGc.GcHeap }))) / $MiB
            startWorkingSetMiB   = (Get-Median ([double[]]@($raw | ForEach-Object { $_.start.WorkingSet }))) / $MiB
            operations           = $raw[0].operations
        }
        Write-Host ("{0}: +{1:N1} MiB after import, +{2:N1} MiB after {3} operations (working set; managed heap after GC {4:N1} MiB)" -f
            $client, $Memory[$client.ToLower()].importGrowthMiB, $Memory[$client.ToLower()].opsGrowthMiB, $raw[0].operations, $Memory[$client.ToLower()].gcHeapAfterGcMiB)
    }
    Stop-Simulator $sim0; $sim0 = $null

    # ---- bulk, simulator with latency ---------------------------------------------------------------------
    Write-Step "Bulk: simulator at --latency-ms $($P.BulkLatencyMs)"
    $sim50 = Start-Simulator $P.BulkLatencyMs
    Write-Host "simulator at $($sim50.BaseUrl)"
    $Bulk = [ordered]@{ latencyMs = $P.BulkLatencyMs; count = $P.BulkCount }
    foreach ($scenario in 'BulkClear', 'BulkCreate') {
        Reset-Simulator $sim50
        Wait-Idle $scenario
        Write-Step "$scenario of $($P.BulkCount) ($($P.BulkSamples) sample(s))"
        $m = [pscustomobject]@{ Result = (Invoke-Worker $scenario @{ BaseUrl = $sim50.BaseUrl; Count = $P.BulkCount; Samples = $P.BulkSamples; PhoneBase = 36770000000 }) }
        $ms = [double[]]@($m.Result.samples | ForEach-Object { $_.ms })
        $median = Get-Median $ms
        $requestsPerSample = if ($scenario -eq 'BulkClear') { $P.BulkCount + 1 } else { $P.BulkCount }
        $Bulk[$scenario] = [ordered]@{
            samples = $m.Result.samples; medianMs = $median; hasThrottleLimit = $m.Result.hasThrottleLimit
            requestsPerSample = $requestsPerSample
            sequentialEstimateMs = $requestsPerSample * $P.BulkLatencyMs
            effectiveConcurrency = ($requestsPerSample * $P.BulkLatencyMs) / $median
            tcpConnectionsOpened = Get-Median ([double[]]@($m.Result.samples | ForEach-Object { $_.tcpConnectionsOpened }))
        }
        $s = $m.Result.samples[0]
        Write-Host ("median {0:N0} ms (effective concurrency {1:N1}; -ThrottleLimit: {2}); first sample: {3}" -f
            $median, $Bulk[$scenario].effectiveConcurrency, $m.Result.hasThrottleLimit, (($s.Keys | ForEach-Object { "$_=$($s[$_])" }) -join ', '))
    }
} finally {
    Stop-Simulator $sim0
    Stop-Simulator $sim50
    $Harness.Dispose()
}

# ---- bulk behind the gateway's rate limit (issue 10): its own script, its own simulators ------------------
Wait-Idle 'RateLimited'
Write-Step 'Bulk behind a rate limit: 300 creates and removes at 40 requests/s (burst 10)'
$rateScript = Join-Path $BenchDir 'Measure-RateLimitedBulk.ps1'
$Commands.Add("dotnet pwsh ./bench/Measure-RateLimitedBulk.ps1 -ModulePath <module> -OutDir <out>")
$RateLimited = & $rateScript -ModulePath $ModulePath -OutDir $OutDir

# ---------------------------------------------------------------------------------------------------------
# targets (issues 7 and 10), from this run

$mod = $PerOp.module.medianPerOpMs
$floorSum = $PerOp.httpclient.medianPerOpMs + $PerOp.'cmdlet-floor'.medianPerOpMs
$clear = $Bulk.BulkClear
$create = $Bulk.BulkCreate
$clearClean = @($clear.samples | Where-Object { $_.errors -ne 0 -or $_.sessionsLeft -ne 0 -or $_.removed -ne $P.BulkCount }).Count -eq 0
$Targets = @(
    [ordered]@{ target = 'Import adds at most 60 ms to a bare pwsh start (median)'; measured = ('{0:N0} ms' -f $Import.addedMs); limit = '60 ms'; met = $Import.addedMs -le 60 }
    [ordered]@{ target = "Per op, module at most 1/2 of Nokia's TypeScript SDK"; measured = ('{0:N2}x ({1:N3} / {2:N3} ms)' -f ($mod / $PerOp.sdk.medianPerOpMs), $mod, $PerOp.sdk.medianPerOpMs); limit = '0.50x'; met = $mod -le 0.5 * $PerOp.sdk.medianPerOpMs }
    [ordered]@{ target = 'Per op, module at most 1/2 of the Invoke-RestMethod script'; measured = ('{0:N2}x ({1:N3} / {2:N3} ms)' -f ($mod / $PerOp.irm.medianPerOpMs), $mod, $PerOp.irm.medianPerOpMs); limit = '0.50x'; met = $mod -le 0.5 * $PerOp.irm.medianPerOpMs }
    [ordered]@{ target = 'Per op, module at most 2x the sum of the two floors'; measured = ('{0:N2}x ({1:N3} / {2:N3} ms)' -f ($mod / $floorSum), $mod, $floorSum); limit = '2.00x'; met = $mod -le 2 * $floorSum }
    [ordered]@{ target = 'One pooled connection per endpoint in a sequential loop'; measured = "$($PerOp.module.tcpConnections) connection(s) for $($PerOp.module.httpRequests) requests"; limit = '1'; met = $PerOp.module.tcpConnections -eq 1 }
    [ordered]@{ target = "Clear-NacQodSession of $($P.BulkCount) sessions at $($P.BulkLatencyMs) ms latency under 1 s, every item removed, no error"; measured = ('{0:N0} ms (-ThrottleLimit: {1}; clean: {2})' -f $clear.medianMs, $clear.hasThrottleLimit, $clearClean); limit = '1000 ms'; met = ($clear.medianMs -lt 1000) -and $clearClean -and $clear.hasThrottleLimit }
    [ordered]@{ target = "Bulk creation from a pipeline offers bounded concurrency (-ThrottleLimit, more than one in flight)"; measured = ('{0:N0} ms, effective concurrency {1:N1} (-ThrottleLimit: {2})' -f $create.medianMs, $create.effectiveConcurrency, $create.hasThrottleLimit); limit = '-ThrottleLimit and > 2 in flight'; met = $create.hasThrottleLimit -and $create.effectiveConcurrency -gt 2 }
    foreach ($run in $RateLimited.runs) {
        $ra = if ($null -eq $run.retryAfter) { 'no Retry-After' } else { "Retry-After: $($run.retryAfter)" }
        $clean = $run.createErrors -eq 0 -and $run.removeErrors -eq 0 -and $run.distinct -eq $run.count -and $run.sessionsLeft -eq 0
        $worst = [math]::Max($run.createRatio, $run.removeRatio)
        [ordered]@{ target = "$($run.count) creates then removes at $($RateLimited.rate)/s (burst $($RateLimited.burst)), $ra, -ThrottleLimit $($run.throttleLimit): 0 failed items, at most 1.3x the time the rate allows"
            measured = ('create {0:N2}x, remove {1:N2}x of {2:N0} ms; {3} distinct, {4}+{5} errors, {6} left, {7} 429s' -f $run.createRatio, $run.removeRatio, $run.idealMs, $run.distinct, $run.createErrors, $run.removeErrors, $run.sessionsLeft, $run.rateLimited429)
            limit = '1.30x, 0 failed'; met = $clean -and $worst -le 1.3 }
    }
)

# ---------------------------------------------------------------------------------------------------------
# output: console table, results.json, benchmarks.md

$rows = foreach ($name in 'module', 'irm', 'sdk', 'fetch', 'httpclient', 'cmdlet-floor') {
    $r = $PerOp[$name]
    [pscustomobject]@{
        Client            = $r.label
        'ms/op (median)'  = '{0:N3}' -f $r.medianPerOpMs
        'min-max'         = '{0:N3}-{1:N3}' -f $r.minPerOpMs, $r.maxPerOpMs
        'x module'        = '{0:N2}' -f ($r.medianPerOpMs / $mod)
        'over floor 1'    = if ($name -eq 'cmdlet-floor') { '-' } else { '{0:N3}' -f ($r.medianPerOpMs - $PerOp.httpclient.medianPerOpMs) }
        'TCP conns'       = if ($null -eq $r.tcpConnections) { '-' } else { "$($r.tcpConnections)/$($r.httpRequests) req" }
        'issue ref ms/op' = $r.issueReferenceMs
    }
}
$Elapsed = (Get-Date) - $Started
$Machine.loadAverageAtEnd = (Get-LoadAverage) -join ' '
Write-Host ''
Write-Host "NetworkAsCode benchmark ($(if ($Quick) { 'quick' } else { 'full' }) mode, $([int]$Elapsed.TotalSeconds) s) on $($Machine.nproc) cores, $($Machine.os)" -ForegroundColor Green
Write-Host "Per operation (create -> get -> delete, simulator without latency; median of $($P.Passes * $P.Samples) samples of $($P.Rounds) rounds: $($P.Passes) pass(es) x $($P.Samples), each pass a fresh process after $($P.Warmup) warm-up rounds):"
$rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
$other = @(
    [pscustomobject]@{ Measurement = "pwsh -NoProfile -Command exit (median of $($P.ImportRuns))"; Value = '{0:N0} ms' -f $Import.bareMedianMs }
    [pscustomobject]@{ Measurement = "pwsh -NoProfile -Command Import-Module (median of $($P.ImportRuns))"; Value = '{0:N0} ms' -f $Import.importMedianMs }
    [pscustomobject]@{ Measurement = 'Import adds'; Value = '{0:N0} ms' -f $Import.addedMs }
    [pscustomobject]@{ Measurement = "In-process Import-Module (median of $($P.FirstCallRuns))"; Value = '{0:N0} ms' -f $FirstCall.importMsMedian }
    [pscustomobject]@{ Measurement = 'First New-NacQodSession after import (+ Connect-Nac, New-NacDevice)'; Value = '{0:N0} ms (+{1:N0}, +{2:N0})' -f $FirstCall.firstNewNacQodSessionMsMedian, $FirstCall.firstConnectNacMsMedian, $FirstCall.firstNewNacDeviceMsMedian }
    [pscustomobject]@{ Measurement = 'First round (device, connect, create, get, remove) / second round'; Value = '{0:N0} ms / {1:N1} ms' -f $FirstCall.firstRoundMsMedian, $FirstCall.secondRoundMsMedian }
    [pscustomobject]@{ Measurement = "Clear-NacQodSession, $($P.BulkCount) sessions at $($P.BulkLatencyMs) ms (median of $($P.BulkSamples))"; Value = '{0:N0} ms (concurrency {1:N1})' -f $clear.medianMs, $clear.effectiveConcurrency }
    [pscustomobject]@{ Measurement = "$($P.BulkCount) devices | New-NacQodSession at $($P.BulkLatencyMs) ms (median of $($P.BulkSamples))"; Value = '{0:N0} ms (concurrency {1:N1})' -f $create.medianMs, $create.effectiveConcurrency }
    [pscustomobject]@{ Measurement = 'Working set growth: import (module)'; Value = '{0:N1} MiB' -f $Memory.module.importGrowthMiB }
    [pscustomobject]@{ Measurement = "Working set growth: $($Memory.module.operations) ops, module / Invoke-RestMethod"; Value = '{0:N1} MiB / {1:N1} MiB' -f $Memory.module.opsGrowthMiB, $Memory.irm.opsGrowthMiB }
)
$other | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
Write-Host 'Targets (issues 7 and 10):'
$Targets | ForEach-Object { [pscustomobject]@{ Target = $_.target; Measured = $_.measured; Limit = $_.limit; Result = if ($_.met) { 'met' } else { 'NOT MET' } } } |
    Format-Table -AutoSize -Wrap | Out-String -Width 220 | Write-Host

$Results = [ordered]@{
    generatedAt = $Started.ToUniversalTime().ToString('o'); mode = if ($Quick) { 'quick' } else { 'full' }; elapsedSeconds = [int]$Elapsed.TotalSeconds
    machine = $Machine; phaseLoad = $PhaseLoad; modulePath = $ModulePath; simulatorPath = $SimulatorPath; parameters = $P
    commands = $Commands
    import = $Import; firstCall = $FirstCall; perOperation = $PerOp; memory = $Memory; bulk = $Bulk; rateLimited = $RateLimited; targets = $Targets
    notes = @(
        'Per operation = sample time / (3 x rounds); each round is create, get, delete of a session of its own device; median over samples.'
        'Floor 2 is Write-Output -InputObject called 4 times per round, each result assigned: the module loop calls 4 binary cmdlets per round (New-NacDevice, New-NacQodSession, Get-NacQodSession, Remove-NacQodSession), each binding named parameters and assigning its output.'
        'TCP connections: client-side ports of rows to/from the simulator port in `ss -Htan` (any state, TIME-WAIT included) after the run and not before it.'
        'Bulk: setup (sessions for Clear) is made concurrently by a plain HttpClient and is not measured; each bulk process first warms up with one create and one clear.'
        'Rate-limited bulk (bench/Measure-RateLimitedBulk.ps1): the simulator''s gateway at --rate-limit 40 --rate-burst 10, a fresh key and a fresh pwsh per run; the ideal is (count - burst) / rate per phase; times include no warm-up.'
    )
}
$jsonPath = Join-Path $OutDir 'results.json'
$Results | ConvertTo-Json -Depth 12 | Set-Content -Path $jsonPath -Encoding utf8

# ---- markdown ---------------------------------------------------------------------------------------------
$md = [System.Text.StringBuilder]::new()
function Add-Md([string] $line = '') { [void]$md.AppendLine($line) }
Add-Md '# Benchmarks'
Add-Md ''
Add-Md "Generated by ``bench/Invoke-Benchmark.ps1`` ($($Results.mode) mode, $($Results.elapsedSeconds) s) on $($Started.ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC. Raw samples: ``out/bench/results.json``."
Add-Md ''
Add-Md '## Machine'
Add-Md ''
Add-Md "$($Machine.nproc) cores ($($Machine.cpu)), $($Machine.memoryMiB) MiB, $($Machine.os) (kernel $($Machine.kernel)); .NET SDK $($Machine.dotnet); PowerShell $($Machine.pwsh) (``$PwshDisplay``); Node $($Machine.node); network-as-code $($Machine.tsSdk). Everything on 127.0.0.1: the bundled simulator (``--available-delay-ms 0``) in its own process, each client in a fresh process."
Add-Md ''
Add-Md "Load average at start $($Machine.loadAverageAtStart), at end $($Machine.loadAverageAtEnd); CPU busy in the 2 s before the start: $($Machine.cpuBusyBeforeStartPercent) %; highest CPU busy at the start of a phase (0.5 s probe, all processes): $(($PhaseLoad | ForEach-Object { $_.cpuBusyPercent } | Measure-Object -Maximum).Maximum) %."
Add-Md ''
Add-Md '## Per operation'
Add-Md ''
Add-Md "Create -> get -> delete rounds against the simulator without latency; per operation = sample time / (3 x rounds); median of $($P.Passes * $P.Samples) samples of $($P.Rounds) rounds ($($P.Passes) pass(es), each client in a fresh process per pass, order rotated, $($P.Warmup) warm-up rounds per process of $($P.Samples) samples). ""Issue ref"" is the figure quoted in issue 7 (measured against a minimal Kestrel endpoint, not the simulator: the simulator's own work is in every row here)."
Add-Md ''
Add-Md '| Client | ms/op (median) | min - max | x module | ms/op over floor 1 | TCP connections / requests | issue ref ms/op |'
Add-Md '|---|---:|---:|---:|---:|---:|---:|'
foreach ($r in $rows) { Add-Md "| $($r.Client) | $($r.'ms/op (median)') | $($r.'min-max') | $($r.'x module') | $($r.'over floor 1') | $($r.'TCP conns') | $($r.'issue ref ms/op') |" }
Add-Md ''
Add-Md '"Over floor 1" is the client-side cost above the bare HttpClient loop, which carries the simulator''s own time and the loopback round trip; on this machine that server-side share is most of floor 1.'
Add-Md ''
Add-Md '```mermaid'
Add-Md 'xychart-beta'
Add-Md '    title "ms per operation (lower is better)"'
Add-Md ('    x-axis ["module", "Invoke-RestMethod", "TS SDK", "fetch", "HttpClient floor", "cmdlet floor"]')
Add-Md ('    y-axis "ms/op"')
Add-Md ('    bar [' + ((@('module', 'irm', 'sdk', 'fetch', 'httpclient', 'cmdlet-floor') | ForEach-Object { '{0:0.000}' -f $PerOp[$_].medianPerOpMs }) -join ', ') + ']')
Add-Md '```'
Add-Md ''
Add-Md '## Import, first call, bulk, memory'
Add-Md ''
Add-Md '| Measurement | Value |'
Add-Md '|---|---:|'
foreach ($o in $other) { Add-Md "| $($o.Measurement) | $($o.Value) |" }
Add-Md ''
$loadedList = ($FirstCall.assembliesLoaded | ForEach-Object { '`' + $_ + '`' }) -join ', '
Add-Md "Assemblies of interest loaded after the first round: $loadedList."
Add-Md ''
Add-Md '## Targets (issues 7 and 10)'
Add-Md ''
Add-Md '| Target | Measured | Limit | Result |'
Add-Md '|---|---|---|---|'
foreach ($t in $Targets) { Add-Md "| $($t.target) | $($t.measured) | $($t.limit) | $(if ($t.met) { 'met' } else { '**not met**' }) |" }
Add-Md ''
Add-Md '## Commands'
Add-Md ''
Add-Md '```'
Add-Md 'dotnet tool restore; dotnet pwsh ./build.ps1 Build'
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
