#requires -Version 7.0
<#
.SYNOPSIS
    Bulk work behind the gateway's rate limit: how long 300 creates and 300 removes take against the time the rate
    allows, and whether any item is lost. Run by bench/Invoke-Benchmark.ps1 (build.ps1 Bench), or alone.
.DESCRIPTION
    For each Retry-After variant (-RetryAfter; by default none, as the real gateway sends, then 1 s), the bundled
    simulator is started with -RateLimit/-RateBurst, and for each -ThrottleLimit a fresh pwsh imports the module,
    pipes -Count devices into New-NacQodSession, then pipes the created sessions into Remove-NacQodSession. Each run records its times, its
    errors, the distinct sessions created, the sessions left on the server, and the gateway's 429 count.
    The ideal is the time the token bucket allows: (Count - Burst) / Rate seconds per phase.
    Writes <OutDir>/rate-limited.json and returns the same object.
.EXAMPLE
    dotnet pwsh ./bench/Measure-RateLimitedBulk.ps1 -ModulePath ./out/NetworkAsCode -OutDir ./out/bench
.EXAMPLE
    dotnet pwsh ./bench/Measure-RateLimitedBulk.ps1 -RetryAfter 1 -ThrottleLimits 1
    Only the case of one request at a time behind a gateway that sends Retry-After: 1.
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/NetworkAsCode'),
    [string] $OutDir = (Join-Path $PSScriptRoot '../out/bench'),
    [int] $Count = 300,
    [int] $Rate = 40,
    [int] $Burst = 10,
    [int[]] $ThrottleLimits = @(1, 16, 32),
    # Seconds of Retry-After for each variant; 0 sends none (as the real gateway does).
    [int[]] $RetryAfter = @(0, 1)
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$ModulePath = (Resolve-Path $ModulePath).Path
New-Item -ItemType Directory -Path $OutDir -Force | Out-Null
$OutDir = (Resolve-Path $OutDir).Path
$Pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
$PwshArgs = @(if ((Split-Path -Leaf $Pwsh) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })
$IdealMs = 1000.0 * ($Count - $Burst) / $Rate

# What each fresh process runs: create, then remove, each timed; the results as one JSON line.
$worker = @'
param([string] $ModulePath, [string] $BaseUrl, [string] $Key, [int] $Count, [int] $ThrottleLimit, [long] $PhoneBase)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $ModulePath
Connect-Nac -Token $Key -BaseUrl $BaseUrl
$devices = foreach ($i in 0..($Count - 1)) { New-NacDevice -PhoneNumber ('+' + ($PhoneBase + $i)) }
$createErrors = $null; $removeErrors = $null
$clock = [Diagnostics.Stopwatch]::StartNew()
$created = @($devices | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 -ThrottleLimit $ThrottleLimit -ErrorAction SilentlyContinue -ErrorVariable createErrors)
$createMs = $clock.Elapsed.TotalMilliseconds
$clock.Restart()
$created | Remove-NacQodSession -ThrottleLimit $ThrottleLimit -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable removeErrors
$removeMs = $clock.Elapsed.TotalMilliseconds
[ordered]@{
    createMs = $createMs; removeMs = $removeMs
    created = $created.Count; distinct = @($created.SessionId | Sort-Object -Unique).Count
    createErrors = @($createErrors).Count; removeErrors = @($removeErrors).Count
    firstError = @(@($createErrors) + @($removeErrors) | Select-Object -First 1 | ForEach-Object { "$_" })
} | ConvertTo-Json -Compress
'@
$workerPath = Join-Path $OutDir 'rate-limited-worker.ps1'
Set-Content -Path $workerPath -Value $worker -Encoding utf8

Import-Module $ModulePath -Force
$runs = [System.Collections.Generic.List[object]]::new()
$phone = 36780000000
foreach ($variant in $RetryAfter) {
    $raSeconds = if ($variant -gt 0) { $variant } else { $null }
    $extra = if ($null -ne $raSeconds) { @{ RateLimitRetryAfterSec = $raSeconds } } else { @{} }
    $sim = Start-NacSimulator -NoConnect -AvailableDelayMs 0 -RateLimit $Rate -RateBurst $Burst @extra
    try {
        foreach ($limit in $ThrottleLimits) {
            $phone += 10000
            $key = 'bench-rate-' + [guid]::NewGuid().ToString('N').Substring(0, 8)   # a fresh key: a full bucket
            $before = Invoke-RestMethod ([Uri]::new($sim.BaseUrl, '/_simulator/stats'))
            $label = "Retry-After $(if ($null -eq $raSeconds) { 'none' } else { "$raSeconds s" }), -ThrottleLimit $limit"
            Write-Host "== $label" -ForegroundColor Cyan
            $line = & $Pwsh @PwshArgs -NoProfile -NonInteractive -File $workerPath -ModulePath $ModulePath -BaseUrl $sim.BaseUrl -Key $key -Count $Count -ThrottleLimit $limit -PhoneBase $phone |
                Select-Object -Last 1
            $result = $line | ConvertFrom-Json -AsHashtable
            $after = Invoke-RestMethod ([Uri]::new($sim.BaseUrl, '/_simulator/stats'))
            $run = [ordered]@{
                retryAfter = $raSeconds; throttleLimit = $limit; count = $Count
                createMs = [math]::Round($result.createMs); removeMs = [math]::Round($result.removeMs); idealMs = [math]::Round($IdealMs)
                createRatio = [math]::Round($result.createMs / $IdealMs, 2); removeRatio = [math]::Round($result.removeMs / $IdealMs, 2)
                created = $result.created; distinct = $result.distinct; createErrors = $result.createErrors; removeErrors = $result.removeErrors
                sessionsLeft = $after.sessionsLive
                rateLimited429 = $after.gateway.rateLimited - $before.gateway.rateLimited
                firstError = $result.firstError
            }
            Write-Host ("create {0:N0} ms ({1:N2}x ideal), remove {2:N0} ms ({3:N2}x), created {4}/{5} distinct, errors {6}+{7}, left {8}, 429s {9}" -f
                $run.createMs, $run.createRatio, $run.removeMs, $run.removeRatio, $run.distinct, $Count, $run.createErrors, $run.removeErrors, $run.sessionsLeft, $run.rateLimited429)
            $runs.Add($run)
        }
    } finally {
        Stop-NacSimulator
    }
}

$result = [ordered]@{
    rate = $Rate; burst = $Burst; count = $Count; idealMs = [math]::Round($IdealMs); runs = $runs
    allItemsKept = @($runs | Where-Object { $_.createErrors -ne 0 -or $_.removeErrors -ne 0 -or $_.distinct -ne $Count -or $_.sessionsLeft -ne 0 }).Count -eq 0
    worstRatio = ($runs | ForEach-Object { $_.createRatio; $_.removeRatio } | Measure-Object -Maximum).Maximum
}
$result | ConvertTo-Json -Depth 6 | Set-Content -Path (Join-Path $OutDir 'rate-limited.json') -Encoding utf8
$result
