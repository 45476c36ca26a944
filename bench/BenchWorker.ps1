#requires -Version 7.0
<#
.SYNOPSIS
    One benchmark scenario in a fresh pwsh process; started by bench/Invoke-Benchmark.ps1, not by hand.
.DESCRIPTION
    Each scenario writes one JSON object to -ResultPath. Scenarios:
      ModuleOps    create -> get -> delete rounds through the module's cmdlets (4 cmdlet calls per round:
                   New-NacDevice, New-NacQodSession, Get-NacQodSession, Remove-NacQodSession)
      IrmOps       the same rounds through a hand-written Invoke-RestMethod script (ConvertTo-Json + 3 x Invoke-RestMethod)
      CmdletFloor  floor 2: the same loop with 4 trivial binary cmdlet calls per round (Write-Output -InputObject)
      FirstCall    in-process Import-Module time and the first calls after it
      Memory       working set before/after import and after 1,000 API operations (-Client Module or Irm)
      BulkClear    Clear-NacQodSession of one device holding -Count sessions (simulator with latency)
      BulkCreate   -Count devices piped into New-NacQodSession (simulator with latency)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet('ModuleOps', 'IrmOps', 'CmdletFloor', 'FirstCall', 'Memory', 'BulkClear', 'BulkCreate')]
    [string] $Scenario,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string] $ModulePath,
    [string] $BaseUrl,
    [int] $Warmup = 50,
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

switch ($Scenario) {
    'ModuleOps' {
        Import-Nac
        $n = 0
        for ($i = 0; $i -lt $Warmup; $i++) {
            $d = New-NacDevice -PhoneNumber ('+' + ($PhoneBase + $n++))
            $s = New-NacQodSession -Device $d -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
            $g = Get-NacQodSession -SessionId $s.SessionId
            $null = Remove-NacQodSession -SessionId $s.SessionId -Confirm:$false
        }
        $list = [System.Collections.Generic.List[object]]::new()
        $errorsBefore = $Error.Count
        for ($k = 0; $k -lt $Samples; $k++) {
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            for ($i = 0; $i -lt $Rounds; $i++) {
                $d = New-NacDevice -PhoneNumber ('+' + ($PhoneBase + $n++))
                $s = New-NacQodSession -Device $d -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
                $g = Get-NacQodSession -SessionId $s.SessionId
                $null = Remove-NacQodSession -SessionId $s.SessionId -Confirm:$false
            }
            $sw.Stop()
            $list.Add((New-Sample $sw.Elapsed.TotalMilliseconds $Rounds))
        }
        if ($g.SessionId -ne $s.SessionId) { throw 'Get-NacQodSession returned another session' }
        Save-Result ([ordered]@{ client = 'module'; warmup = $Warmup; samples = $list; errors = $Error.Count - $errorsBefore })
    }

    'IrmOps' {
        $n = 0
        # Written the way a user would: a hashtable to JSON, then three Invoke-RestMethod calls.
        for ($i = 0; $i -lt $Warmup; $i++) {
            $body = @{ qosProfile = 'QOS_L'; device = @{ phoneNumber = '+' + ($PhoneBase + $n++) }; applicationServer = @{ ipv4Address = '233.252.0.2' }; duration = 600 } | ConvertTo-Json -Compress
            $s = Invoke-RestMethod -Method Post -Uri $Sessions -Headers $Headers -Body $body -ContentType 'application/json'
            $g = Invoke-RestMethod -Method Get -Uri "$Sessions/$($s.sessionId)" -Headers $Headers
            $null = Invoke-RestMethod -Method Delete -Uri "$Sessions/$($s.sessionId)" -Headers $Headers
        }
        $list = [System.Collections.Generic.List[object]]::new()
        for ($k = 0; $k -lt $Samples; $k++) {
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            for ($i = 0; $i -lt $Rounds; $i++) {
                $body = @{ qosProfile = 'QOS_L'; device = @{ phoneNumber = '+' + ($PhoneBase + $n++) }; applicationServer = @{ ipv4Address = '233.252.0.2' }; duration = 600 } | ConvertTo-Json -Compress
                $s = Invoke-RestMethod -Method Post -Uri $Sessions -Headers $Headers -Body $body -ContentType 'application/json'
                $g = Invoke-RestMethod -Method Get -Uri "$Sessions/$($s.sessionId)" -Headers $Headers
                $null = Invoke-RestMethod -Method Delete -Uri "$Sessions/$($s.sessionId)" -Headers $Headers
            }
            $sw.Stop()
            $list.Add((New-Sample $sw.Elapsed.TotalMilliseconds $Rounds))
        }
        if ($g.sessionId -ne $s.sessionId) { throw 'GET returned another session' }
        Save-Result ([ordered]@{ client = 'irm'; warmup = $Warmup; samples = $list })
    }

    'CmdletFloor' {
        # Floor 2: the module loop's shape (4 binary cmdlet calls per round, each binding one named parameter,
        # the result assigned) with cmdlets that do nothing: Write-Output -InputObject emits its argument.
        $n = 0
        for ($i = 0; $i -lt $Warmup; $i++) {
            $d = Write-Output -InputObject ('+' + ($PhoneBase + $n++))
            $s = Write-Output -InputObject $d
            $g = Write-Output -InputObject $s
            $null = Write-Output -InputObject $g
        }
        $list = [System.Collections.Generic.List[object]]::new()
        for ($k = 0; $k -lt $Samples; $k++) {
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            for ($i = 0; $i -lt $Rounds; $i++) {
                $d = Write-Output -InputObject ('+' + ($PhoneBase + $n++))
                $s = Write-Output -InputObject $d
                $g = Write-Output -InputObject $s
                $null = Write-Output -InputObject $g
            }
            $sw.Stop()
            $list.Add((New-Sample $sw.Elapsed.TotalMilliseconds $Rounds))
        }
        Save-Result ([ordered]@{ client = 'cmdlet-floor'; warmup = $Warmup; samples = $list })
    }

    'FirstCall' {
        $t = [ordered]@{}
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath -ErrorAction Stop
        $t.importMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $d = New-NacDevice -PhoneNumber ('+' + $PhoneBase); $t.firstNewNacDeviceMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); Connect-Nac -Token $ApiKey -BaseUrl $BaseUrl; $t.firstConnectNacMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $s = New-NacQodSession -Device $d -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2; $t.firstNewNacQodSessionMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); $g = Get-NacQodSession -SessionId $s.SessionId; $t.firstGetNacQodSessionMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart(); Remove-NacQodSession -SessionId $s.SessionId -Confirm:$false; $t.firstRemoveNacQodSessionMs = $sw.Elapsed.TotalMilliseconds
        $sw.Restart()
        $d = New-NacDevice -PhoneNumber ('+' + ($PhoneBase + 1))
        $s = New-NacQodSession -Device $d -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
        $g = Get-NacQodSession -SessionId $s.SessionId
        Remove-NacQodSession -SessionId $s.SessionId -Confirm:$false
        $t.secondRoundMs = $sw.Elapsed.TotalMilliseconds
        $t.firstRoundMs = $t.firstNewNacDeviceMs + $t.firstConnectNacMs + $t.firstNewNacQodSessionMs + $t.firstGetNacQodSessionMs + $t.firstRemoveNacQodSessionMs
        $t.assembliesLoaded = @([AppDomain]::CurrentDomain.GetAssemblies() | ForEach-Object { $_.GetName().Name } |
            Where-Object { $_ -match '^(NetworkAsCode|Microsoft\.Extensions|Polly|Microsoft\.Bcl|System\.Text\.Json|System\.Net\.Http)' } | Sort-Object)
        Save-Result $t
    }

    'Memory' {
        $m = [ordered]@{ client = $Client; operations = 0 }
        [GC]::Collect(); [GC]::WaitForPendingFinalizers()
        $m.start = Get-WorkingSet
        if ($Client -eq 'Module') { Import-Nac }
        $m.afterImport = Get-WorkingSet
        $n = 0; $ops = 0
        while ($ops -lt $Operations) {
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
        $m.operations = $ops
        $m.afterOps = Get-WorkingSet
        [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
        $m.afterOpsAndGc = Get-WorkingSet
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

    'BulkCreate' {
        Import-Nac
        $hasThrottle = (Get-Command New-NacQodSession).Parameters.ContainsKey('ThrottleLimit')
        $warm = New-NacDevice -PhoneNumber ('+' + ($PhoneBase + 99999))
        $null = New-NacQodSession -Device $warm -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
        Clear-NacQodSession -Device $warm -Force
        $list = [System.Collections.Generic.List[object]]::new()
        for ($k = 0; $k -lt $Samples; $k++) {
            $devices = foreach ($i in 0..($Count - 1)) { New-NacDevice -PhoneNumber ('+' + ($PhoneBase + 1000 * ($k + 1) + $i)) }
            $errs = $null
            $before = Get-PeerPorts
            $sw = [System.Diagnostics.Stopwatch]::StartNew()
            # New-NacQodSession keeps input order by default (-ThrottleLimit 1); bulk jobs ask for concurrency.
            $bulk = if ($hasThrottle) { @{ ThrottleLimit = 16 } } else { @{} }
            $created = @($devices | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 @bulk -ErrorAction SilentlyContinue -ErrorVariable errs)
            $sw.Stop()
            $after = Get-PeerPorts; $after.ExceptWith($before)
            $live = (Get-SimulatorStats).sessionsLive
            $list.Add([ordered]@{ ms = $sw.Elapsed.TotalMilliseconds; created = $created.Count; errors = @($errs).Count; sessionsLive = $live; tcpConnectionsOpened = $after.Count })
            # Clean up (not measured) so the next sample starts empty.
            $c = [System.Net.Http.HttpClient]::new()
            $null = $c.PostAsync($BaseUrl.TrimEnd('/') + '/_simulator/reset', $null).GetAwaiter().GetResult()
            $c.Dispose()
        }
        Save-Result ([ordered]@{ scenario = 'BulkCreate'; count = $Count; hasThrottleLimit = $hasThrottle; samples = $list })
    }
}
