#requires -Version 7.0
<#
.SYNOPSIS
    One benchmark scenario in a fresh pwsh process; started by bench/Invoke-Benchmark.ps1, not by hand.
.DESCRIPTION
    Each scenario writes one JSON object to -ResultPath. Scenarios:
      ModuleOps    create -> get -> delete rounds through the module's cmdlets (4 cmdlet calls per round:
                   New-NacDevice, New-NacQodSession, Get-NacQodSession, Remove-NacQodSession); -Warmup rounds in
                   timed blocks of -WarmupBlock, then -Samples x -Rounds
      IrmOps       the same rounds through a hand-written Invoke-RestMethod script (ConvertTo-Json + 3 x Invoke-RestMethod)
      CmdletFloor  floor 2: the same loop with 4 trivial binary cmdlet calls per round (Write-Output -InputObject)
      FirstCall    in-process Import-Module time, the first New-NacQodSession and the second, and the first calls after it;
                   -Client Irm: the first Invoke-RestMethod POST of the process and the second
      Memory       working set and managed heap (after a forced GC) after import, after -Warmup operations and at
                   -Checkpoints points over -Operations more (-Client Module or Irm)
      BulkClear    Clear-NacQodSession of one device holding -Count sessions (simulator with latency)
      Bulk         -Count creates then removals at -ThrottleLimit (-Client Module: the cmdlets from a pipeline;
                   Irm: ForEach-Object -Parallel with Invoke-RestMethod), elapsed times and peak RSS (VmHWM)
      Listing      Get-NacQodSession -Device of one device holding each of -Sizes sessions, bare and through
                   Format-Table | Out-String
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet('ModuleOps', 'IrmOps', 'CmdletFloor', 'FirstCall', 'Memory', 'BulkClear', 'Bulk', 'Listing')]
    [string] $Scenario,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $ModulePath,
    [string] $BaseUrl,
    [int] $Warmup = 50,
    [int] $WarmupBlock = 500,
    [int] $ThrottleLimit = 16,
    [string] $Sizes = '10,100,1000,10000',
    [int] $Checkpoints = 4,
    [int] $Samples = 5,
    [int] $Rounds = 300,
    [long] $PhoneBase = 36700000000,
    [int] $Count = 200,
    [int] $Operations = 1000,
    [ValidateSet('Module', 'Irm')] [string] $Client = 'Module'
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$ApiKey = 'bench-key'
$RapidApiHost = 'network-as-code.nokia.rapidapi.com'
$Sessions = if ($BaseUrl) { $BaseUrl.TrimEnd('/') + '/quality-on-demand/v1/sessions' } else { $null }
$Headers = @{ 'X-RapidAPI-Key' = $ApiKey; 'X-RapidAPI-Host' = $RapidApiHost; 'Accept' = 'application/json' }

function Get-WorkingSet {
    $p = [System.Diagnostics.Process]::GetCurrentProcess()
    $p.Refresh()
    [pscustomobject]@{ WorkingSet = $p.WorkingSet64; Private = $p.PrivateMemorySize64; GcHeap = [GC]::GetTotalMemory($false) }
}

# Linux: the resident set now and its peak over the life of this process (VmRSS, VmHWM in /proc/self/status), in KiB.
function Get-RssKiB { [long]((Select-String -Path /proc/self/status -Pattern '^VmRSS:\s+(\d+)').Matches[0].Groups[1].Value) }
function Get-PeakRssKiB { [long]((Select-String -Path /proc/self/status -Pattern '^VmHWM:\s+(\d+)').Matches[0].Groups[1].Value) }

function New-Sample([double] $ms, [int] $rounds) {
    [ordered]@{ totalMs = $ms; rounds = $rounds; perOpMs = $ms / (3 * $rounds) }
}

function Save-Result($result) {
    $result['pwsh'] = $PSVersionTable.PSVersion.ToString()
    $result | ConvertTo-Json -Depth 8 | Set-Content -Path $ResultPath -Encoding utf8
}

function Import-Nac {
    Import-Module $ModulePath -ErrorAction Stop
    if ($BaseUrl) { Connect-Nac -Token $ApiKey -BaseUrl $BaseUrl }
}

# A plain HttpClient for setup and checks that are not measured (so they cost the measured client nothing).
function New-SetupClient {
    $client = [System.Net.Http.HttpClient]::new()
    $client.DefaultRequestHeaders.TryAddWithoutValidation('X-RapidAPI-Key', $ApiKey) | Out-Null
    $client
}

function Get-SimulatorStats {
    $client = [System.Net.Http.HttpClient]::new()
    try { $client.GetStringAsync($BaseUrl.TrimEnd('/') + '/_simulator/stats').GetAwaiter().GetResult() | ConvertFrom-Json }
    finally { $client.Dispose() }
}

# Client-side ports of TCP connections (any state) to the simulator's port, from `ss -Htan`.
function Get-PeerPorts {
    $port = ([uri]$BaseUrl).Port
    $ports = [System.Collections.Generic.HashSet[int]]::new()
    foreach ($line in (& ss -Htan 2>$null)) {
        $cols = -split $line
        if ($cols.Count -lt 5) { continue }
        $lp = $cols[3].Substring($cols[3].LastIndexOf(':') + 1); $pp = $cols[4].Substring($cols[4].LastIndexOf(':') + 1)
        if ($pp -eq '*') { continue }
        if ($lp -eq "$port") { [void]$ports.Add([int]$pp) } elseif ($pp -eq "$port") { [void]$ports.Add([int]$lp) }
    }
    , $ports
}

# The rounds of a loop scenario: warm-up blocks of -WarmupBlock rounds (timed, so the harness can show that the
# per-round time stopped falling), then -Samples samples of -Rounds rounds. One list, one inline loop body per
# scenario, so warm-up and samples run the very same code.
function Get-LoopPlan {
    $plan = [System.Collections.Generic.List[object]]::new()
    $left = $Warmup
    while ($left -gt 0) { $size = [math]::Min($WarmupBlock, $left); $plan.Add(@{ Warmup = $true; Rounds = $size }); $left -= $size }
    for ($k = 0; $k -lt $Samples; $k++) { $plan.Add(@{ Warmup = $false; Rounds = $Rounds }) }
    , $plan
}
function Save-LoopResult([string] $client, $plan, [double[]] $times, [hashtable] $extra = @{}) {
    $warm = [System.Collections.Generic.List[object]]::new(); $list = [System.Collections.Generic.List[object]]::new()
    for ($j = 0; $j -lt $plan.Count; $j++) {
        $sample = New-Sample $times[$j] $plan[$j].Rounds
        if ($plan[$j].Warmup) { $warm.Add($sample) } else { $list.Add($sample) }
    }
    $result = [ordered]@{ client = $client; warmup = $Warmup; warmupBlocks = $warm; samples = $list }
    foreach ($k in $extra.Keys) { $result[$k] = $extra[$k] }
    Save-Result $result
}

switch ($Scenario) {
    'ModuleOps' {
        Import-Nac
        $n = 0
        $plan = Get-LoopPlan; $times = [double[]]::new($plan.Count)
        $errorsBefore = $Error.Count
        for ($j = 0; $j -lt $plan.Count; $j++) {
            $count = $plan[$j].Rounds
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            for ($i = 0; $i -lt $count; $i++) {
                $d = New-NacDevice -PhoneNumber ('+' + ($PhoneBase + $n++))
                $s = New-NacQodSession -Device $d -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
                $g = Get-NacQodSession -SessionId $s.SessionId
                $null = Remove-NacQodSession -SessionId $s.SessionId -Confirm:$false
            }
            $times[$j] = $sw.Elapsed.TotalMilliseconds
        }
        if ($g.SessionId -ne $s.SessionId) { throw 'Get-NacQodSession returned another session' }
        Save-LoopResult 'module' $plan $times @{ errors = $Error.Count - $errorsBefore }
    }

    'IrmOps' {
        $n = 0
        $plan = Get-LoopPlan; $times = [double[]]::new($plan.Count)
        # Written the way a user would: a hashtable to JSON, then three Invoke-RestMethod calls.
        for ($j = 0; $j -lt $plan.Count; $j++) {
            $count = $plan[$j].Rounds
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            for ($i = 0; $i -lt $count; $i++) {
                $body = @{ qosProfile = 'QOS_L'; device = @{ phoneNumber = '+' + ($PhoneBase + $n++) }; applicationServer = @{ ipv4Address = '233.252.0.2' }; duration = 600 } | ConvertTo-Json -Compress
                $s = Invoke-RestMethod -Method Post -Uri $Sessions -Headers $Headers -Body $body -ContentType 'application/json'
                $g = Invoke-RestMethod -Method Get -Uri "$Sessions/$($s.sessionId)" -Headers $Headers
                $null = Invoke-RestMethod -Method Delete -Uri "$Sessions/$($s.sessionId)" -Headers $Headers
            }
            $times[$j] = $sw.Elapsed.TotalMilliseconds
        }
        if ($g.sessionId -ne $s.sessionId) { throw 'GET returned another session' }
        Save-LoopResult 'irm' $plan $times
    }

    'CmdletFloor' {
        # Floor 2: the module loop's shape (4 binary cmdlet calls per round, each binding one named parameter,
        # the result assigned) with cmdlets that do nothing: Write-Output -InputObject emits its argument.
        $n = 0
        $plan = Get-LoopPlan; $times = [double[]]::new($plan.Count)
        for ($j = 0; $j -lt $plan.Count; $j++) {
            $count = $plan[$j].Rounds
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            for ($i = 0; $i -lt $count; $i++) {
                $d = Write-Output -InputObject ('+' + ($PhoneBase + $n++))
                $s = Write-Output -InputObject $d
                $g = Write-Output -InputObject $s
                $null = Write-Output -InputObject $g
            }
            $times[$j] = $sw.Elapsed.TotalMilliseconds
        }
        Save-LoopResult 'cmdlet-floor' $plan $times
    }

    'FirstCall' {
        if ($Client -eq 'Irm') {
            # The peer's first call: the first Invoke-RestMethod POST of a fresh pwsh (body from a hashtable, as the
            # IrmOps loop writes it) and right after it the second; both sessions deleted after the timing.
            $t = [ordered]@{ client = 'Irm' }
            $ids = foreach ($k in 0, 1) {
                $sw = [System.Diagnostics.Stopwatch]::StartNew()
                $body = @{ qosProfile = 'QOS_L'; device = @{ phoneNumber = '+' + ($PhoneBase + $k) }; applicationServer = @{ ipv4Address = '233.252.0.2' }; duration = 600 } | ConvertTo-Json -Compress
                $s = Invoke-RestMethod -Method Post -Uri $Sessions -Headers $Headers -Body $body -ContentType 'application/json'
                $t[$(if ($k -eq 0) { 'firstCallMs' } else { 'secondCallMs' })] = $sw.Elapsed.TotalMilliseconds
                $s.sessionId
            }
            foreach ($id in $ids) { $null = Invoke-RestMethod -Method Delete -Uri "$Sessions/$id" -Headers $Headers }
            Save-Result $t
            break
        }
        # Import, then Connect-Nac and New-NacDevice (no request), then the first New-NacQodSession and right after
        # it the second (another device): the difference is what the first API call costs on its own.
        $t = [ordered]@{ client = 'Module' }
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath -ErrorAction Stop
        $t.importMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $d = New-NacDevice -PhoneNumber ('+' + $PhoneBase); $t.firstNewNacDeviceMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); Connect-Nac -Token $ApiKey -BaseUrl $BaseUrl; $t.firstConnectNacMs = $sw.Elapsed.TotalMilliseconds
        $d2 = New-NacDevice -PhoneNumber ('+' + ($PhoneBase + 1))
        $sw.Restart(); $s = New-NacQodSession -Device $d -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2; $t.firstNewNacQodSessionMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $s2 = New-NacQodSession -Device $d2 -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2; $t.secondNewNacQodSessionMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $g = Get-NacQodSession -SessionId $s.SessionId; $t.firstGetNacQodSessionMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); Remove-NacQodSession -SessionId $s.SessionId -Confirm:$false; $t.firstRemoveNacQodSessionMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart()
        $g = Get-NacQodSession -SessionId $s2.SessionId
        Remove-NacQodSession -SessionId $s2.SessionId -Confirm:$false
        $t.secondGetAndRemoveMs = $sw.Elapsed.TotalMilliseconds
        $t.firstRoundMs = $t.firstNewNacDeviceMs + $t.firstConnectNacMs + $t.firstNewNacQodSessionMs + $t.firstGetNacQodSessionMs + $t.firstRemoveNacQodSessionMs
        $t.assembliesLoaded = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } |
            Where-Object { $_ -match '^(NetworkAsCode|Microsoft\.Extensions|Polly|Microsoft\.Bcl|System\.Text\.Json|System\.Net\.Http)' } | Sort-Object)
        Save-Result $t
    }

    'Memory' {
        # Working set and managed heap: at start, after import, after -Warmup operations, then at -Checkpoints
        # points up to -Operations more operations, each reading taken after a forced full GC. A leak shows as a
        # heap that keeps growing from checkpoint to checkpoint; a flat line is no leak.
        $m = [ordered]@{ client = $Client; warmupOperations = 0; operations = 0; checkpoints = [System.Collections.Generic.List[object]]::new() }
        function Read-Memory([int] $ops) {
            [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
            $w = Get-WorkingSet
            [ordered]@{ operations = $ops; workingSet = $w.WorkingSet; private = $w.Private; gcHeap = [GC]::GetTotalMemory($true) }
        }
        $m.start = Read-Memory 0
        if ($Client -eq 'Module') { Import-Nac }
        $m.afterImport = Read-Memory 0
        $n = 0; $ops = 0
        $step = [math]::Ceiling($Operations / [math]::Max(1, $Checkpoints))
        $targets = @($Warmup) + @(1..$Checkpoints | ForEach-Object { $Warmup + [math]::Min($Operations, $_ * $step) })
        $sw = [System.Diagnostics.Stopwatch]::new()
        foreach ($target in $targets) {
            $sw.Start()
            while ($ops -lt $target) {
                if ($Client -eq 'Module') {
                    $d = New-NacDevice -PhoneNumber ('+' + ($PhoneBase + $n++))
                    $s = New-NacQodSession -Device $d -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
                    $g = Get-NacQodSession -SessionId $s.SessionId
                    $null = Remove-NacQodSession -SessionId $s.SessionId -Confirm:$false
                } else {
                    $body = @{ qosProfile = 'QOS_L'; device = @{ phoneNumber = '+' + ($PhoneBase + $n++) }; applicationServer = @{ ipv4Address = '233.252.0.2' }; duration = 600 } | ConvertTo-Json -Compress
                    $s = Invoke-RestMethod -Method Post -Uri $Sessions -Headers $Headers -Body $body -ContentType 'application/json'
                    $g = Invoke-RestMethod -Method Get -Uri "$Sessions/$($s.sessionId)" -Headers $Headers
                    $null = Invoke-RestMethod -Method Delete -Uri "$Sessions/$($s.sessionId)" -Headers $Headers
                }
                $ops += 3
            }
            $sw.Stop()
            $m.checkpoints.Add((Read-Memory ($ops - $Warmup)))
        }
        $m.warmupOperations = $Warmup
        $m.operations = $ops - $Warmup
        $m.operationsMs = $sw.Elapsed.TotalMilliseconds
        $m.vmHwmKiB = Get-PeakRssKiB
        Save-Result $m
    }

    'BulkClear' {
        Import-Nac
        $setup = New-SetupClient
        $hasThrottle = (Get-Command Clear-NacQodSession).Parameters.ContainsKey('ThrottleLimit')
        # Warm-up: one create and one clear, so JIT and the first connection are not in the measurement.
        $warm = New-NacDevice -PhoneNumber ('+' + ($PhoneBase + 999))
        $null = New-NacQodSession -Device $warm -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
        Clear-NacQodSession -Device $warm -Force
        $list = [System.Collections.Generic.List[object]]::new()
        for ($k = 0; $k -lt $Samples; $k++) {
            $phone = '+' + ($PhoneBase + $k)
            # Setup (not measured): -Count sessions of one device on distinct service ports, created concurrently.
            $tasks = foreach ($i in 0..($Count - 1)) {
                $json = '{"qosProfile":"QOS_L","device":{"phoneNumber":"' + $phone + '"},"applicationServer":{"ipv4Address":"233.252.0.2"},' +
                        '"applicationServerPorts":{"ports":[' + (1000 + $i) + ']},"duration":600}'
                $setup.PostAsync($Sessions, [System.Net.Http.StringContent]::new($json, [System.Text.Encoding]::UTF8, 'application/json'))
            }
            [System.Threading.Tasks.Task]::WaitAll([System.Threading.Tasks.Task[]] @($tasks))
            $createdOk = @($tasks | Where-Object { [int]$_.Result.StatusCode -eq 201 }).Count
            $device = New-NacDevice -PhoneNumber $phone
            $errs = $null
            $before = Get-PeerPorts
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $removed = @(Clear-NacQodSession -Device $device -Force -PassThru -ErrorAction SilentlyContinue -ErrorVariable errs)
            $sw.Stop()
            $after = Get-PeerPorts; $after.ExceptWith($before)
            $left = (Get-SimulatorStats).sessionsLive
            $list.Add([ordered]@{ ms = $sw.Elapsed.TotalMilliseconds; setUp = $createdOk; removed = $removed.Count; errors = @($errs).Count; sessionsLeft = $left; tcpConnectionsOpened = $after.Count })
        }
        Save-Result ([ordered]@{ scenario = 'BulkClear'; count = $Count; hasThrottleLimit = $hasThrottle; samples = $list })
    }

    'Bulk' {
        # -Count creates then -Count removals at -ThrottleLimit, in this fresh process, with the simulator at
        # latency. Module: devices piped into New-NacQodSession, the sessions piped into Remove-NacQodSession.
        # Irm: ForEach-Object -Parallel with Invoke-RestMethod, for each phase. Peak memory: VmHWM of this process.
        if ($Client -eq 'Module') { Import-Nac }
        $phones = @(0..($Count - 1) | ForEach-Object { '+' + ($PhoneBase + $_) })
        $createErrors = $null; $removeErrors = $null
        $r = [ordered]@{ client = $Client; throttleLimit = $ThrottleLimit; count = $Count }
        if ($Client -eq 'Module') {
            $devices = @($phones | ForEach-Object { New-NacDevice -PhoneNumber $_ })
            $r.rssBeforeKiB = Get-RssKiB
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $created = @($devices | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable createErrors)
            $r.createMs = $sw.Elapsed.TotalMilliseconds
            $sw.Restart()
            $created | Remove-NacQodSession -ThrottleLimit $ThrottleLimit -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable removeErrors
            $r.removeMs = $sw.Elapsed.TotalMilliseconds
            $ids = @($created.SessionId)
        } else {
            $r.rssBeforeKiB = Get-RssKiB
            $sessions = $Sessions; $headers = $Headers
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            # ForEach-Object -Parallel takes no -ErrorAction: each block catches its own failure and hands it back.
            $results = @($phones | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
                try {
                    $body = @{ qosProfile = 'QOS_L'; device = @{ phoneNumber = $_ }; applicationServer = @{ ipv4Address = '233.252.0.2' }; duration = 600 } | ConvertTo-Json -Compress
                    Invoke-RestMethod -Method Post -Uri $using:sessions -Headers $using:headers -Body $body -ContentType 'application/json'
                } catch { [pscustomobject]@{ failed = "$_" } }
            })
            $r.createMs = $sw.Elapsed.TotalMilliseconds
            $createErrors = @($results | Where-Object { $_.PSObject.Properties['failed'] } | ForEach-Object { $_.failed })
            $ids = @($results | Where-Object { $_.PSObject.Properties['sessionId'] } | ForEach-Object { $_.sessionId })
            $sw.Restart()
            $removeErrors = @($ids | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
                try { $null = Invoke-RestMethod -Method Delete -Uri "$using:sessions/$_" -Headers $using:headers }
                catch { "$_" }
            })
            $r.removeMs = $sw.Elapsed.TotalMilliseconds
        }
        $r.created = $ids.Count
        $r.distinct = @($ids | Sort-Object -Unique).Count
        $r.createErrors = @($createErrors).Count
        $r.removeErrors = @($removeErrors).Count
        $r.firstError = @(@($createErrors) + @($removeErrors) | Select-Object -First 1 | ForEach-Object { "$_" })
        $r.vmHwmKiB = Get-PeakRssKiB
        Save-Result $r
    }

    'Listing' {
        # One device holding N sessions (N from -Sizes), set up by a plain HttpClient (16 connections, distinct
        # service ports so none conflicts); then -Samples timings of Get-NacQodSession -Device, bare and through
        # Format-Table | Out-String. The simulator is reset before each size.
        Import-Nac
        $handler = [System.Net.Http.SocketsHttpHandler]::new(); $handler.MaxConnectionsPerServer = 16
        $setup = [System.Net.Http.HttpClient]::new($handler)
        $setup.DefaultRequestHeaders.TryAddWithoutValidation('X-RapidAPI-Key', $ApiKey) | Out-Null
        $root = $BaseUrl.TrimEnd('/')
        $phone = '+' + $PhoneBase
        $device = New-NacDevice -PhoneNumber $phone
        function Add-Sessions([int] $count) {
            $null = $setup.PostAsync("$root/_simulator/reset", $null).GetAwaiter().GetResult()
            $tasks = foreach ($i in 0..($count - 1)) {
                $json = '{"qosProfile":"QOS_L","device":{"phoneNumber":"' + $phone + '"},"applicationServer":{"ipv4Address":"233.252.0.2"},' +
                        '"applicationServerPorts":{"ports":[' + (1000 + $i) + ']},"duration":3600}'
                $setup.PostAsync($Sessions, [System.Net.Http.StringContent]::new($json, [System.Text.Encoding]::UTF8, 'application/json'))
            }
            [System.Threading.Tasks.Task]::WaitAll([System.Threading.Tasks.Task[]] @($tasks))
            @($tasks | Where-Object { [int]$_.Result.StatusCode -eq 201 }).Count
        }
        # Warm-up: 8 listings of 1,000 through Format-Table | Out-String, timed and reported apart (the first
        # listings of a session pay the formatter's cold start). Formatting cost per session is not linear: 1,000
        # sessions take ~0.6 ms each, 10,000 ~0.12 ms each, and a 1,000 listed right after 3,000 took ~0.1 ms each.
        $null = Add-Sessions 1000
        $warmFormat = [System.Collections.Generic.List[double]]::new()
        for ($k = 0; $k -lt 8; $k++) {
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            $null = Get-NacQodSession -Device $device | Format-Table | Out-String
            $warmFormat.Add($sw.Elapsed.TotalMilliseconds)
        }
        $list = [System.Collections.Generic.List[object]]::new()
        foreach ($size in @($Sizes -split ',' | ForEach-Object { [int]$_ })) {
            $setupClock = [System.Diagnostics.Stopwatch]::StartNew()
            $made = Add-Sessions $size
            $setupMs = $setupClock.Elapsed.TotalMilliseconds
            $repeats = if ($size -ge 10000) { [math]::Max(1, [math]::Min($Samples, 3)) } else { $Samples }
            $bare = [System.Collections.Generic.List[double]]::new(); $formatted = [System.Collections.Generic.List[double]]::new()
            $listed = 0; $chars = 0
            for ($k = 0; $k -lt $repeats; $k++) {
                $sw = [System.Diagnostics.Stopwatch]::StartNew()
                $got = @(Get-NacQodSession -Device $device)
                $bare.Add($sw.Elapsed.TotalMilliseconds)
                $listed = $got.Count; $got = $null
                $sw.Restart()
                $text = Get-NacQodSession -Device $device | Format-Table | Out-String
                $formatted.Add($sw.Elapsed.TotalMilliseconds)
                $chars = $text.Length; $text = $null
            }
            $list.Add([ordered]@{ size = $size; setUp = $made; setupMs = $setupMs; listed = $listed; outputChars = $chars; getMs = $bare; formatTableMs = $formatted })
            Write-Host ("{0,6} sessions: Get {1:N1} ms, Get | Format-Table | Out-String {2:N1} ms (listed {3}, set up {4} in {5:N0} ms)" -f
                $size, ($bare | Measure-Object -Minimum).Minimum, ($formatted | Measure-Object -Minimum).Minimum, $listed, $made, $setupMs)
        }
        $null = $setup.PostAsync("$root/_simulator/reset", $null).GetAwaiter().GetResult()
        $setup.Dispose()
        Save-Result ([ordered]@{ scenario = 'Listing'; warmupFormatTable1000Ms = $warmFormat; sizes = $list })
    }
}
