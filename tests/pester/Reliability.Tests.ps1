# Reliability over real HTTP: the simulator's fault switches, unattended jobs, parallel runspaces,
# and Ctrl+C. Nothing may be lost or duplicated.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Faults on the wire: nothing lost, nothing duplicated' {
    It 'creates exactly one session per device while a third of requests fail with 503' {
        $sim = Start-NacSimulator -FailRate 0.3 -Seed 42 -RetryAfterSec 0 -AvailableDelayMs 0
        try {
            $devices = 1..20 | ForEach-Object { New-NacDevice -PhoneNumber ('+3630000{0:d4}' -f $_) }
            $sessions = $devices | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 -MaxRetry 8 -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -BeNullOrEmpty
            $sessions | Should -HaveCount 20
            ($sessions.SessionId | Sort-Object -Unique) | Should -HaveCount 20
            $stats = Get-SimulatorStats $sim
            $stats.failed | Should -BeGreaterThan 0 -Because 'faults must really have been injected'
            $stats.sessionsCreated | Should -Be 20
            foreach ($device in $devices) { @(Get-NacQodSession -Device $device -MaxRetry 8) | Should -HaveCount 1 }
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It 'rides out throttling by honouring Retry-After, and says so in -Verbose' {
        $sim = Start-NacSimulator -ThrottleEvery 3 -RetryAfterSec 0
        try {
            $device = New-TestDevice
            $trace = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -Verbose 4>&1
            $session = $trace | Where-Object { $_ -is [NetworkAsCode.QodSession] }
            $ids = 1..6 | ForEach-Object { (Get-NacQodSession -SessionId $session.SessionId -Verbose 4>&1) } |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
            ($ids -match 'HTTP 429.*rate limit.*retry 1 ') | Should -Not -BeNullOrEmpty
            (Get-SimulatorStats $sim).throttled | Should -BeGreaterThan 0
            (Get-SimulatorStats $sim).sessionsCreated | Should -Be 1
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It '-MaxRetry 0 sends exactly one request' {
        $sim = Start-NacSimulator -ThrottleEvery 1
        try {
            Get-NacQodSession -SessionId ([guid]::NewGuid()) -MaxRetry 0 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacThrottled,*'
            (Get-SimulatorStats $sim).requests | Should -Be 1
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It 'a slow server times out with an error that says so and where' {
        $sim = Start-NacSimulator -LatencyMs 5000
        try {
            Get-NacQodSession -SessionId ([guid]::NewGuid()) -TimeoutSec 1 -MaxRetry 0 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacTimeout,*'
            $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
            $err[0].Exception.Message | Should -Match 'timed out'
            $err[0].Exception.Message | Should -Match ([regex]::Escape("$($sim.BaseUrl)".TrimEnd('/')))
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It 'Ctrl+C (StopProcessing) cancels a request in flight at once' {
        $sim = Start-NacSimulator -LatencyMs 20000 -NoConnect
        try {
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$ModulePath'; Connect-Nac -Token k -BaseUrl '$($sim.BaseUrl)'; Get-NacQodSession -SessionId ([guid]::NewGuid())")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 1500
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'the 20 s request must be abandoned, not awaited'
            $ps.Dispose()
        } finally {
            $sim | Stop-NacSimulator
        }
    }
}

Describe 'Unattended jobs' {
    BeforeAll { $script:Sim = Start-NacSimulator -NoConnect }
    AfterAll { $Sim | Stop-NacSimulator }

    It 'a ConfirmImpact High action without -Force fails fast and says how to proceed' {
        $env = @{ NAC_TOKEN = 'k'; NAC_BASE_URL = "$($Sim.BaseUrl)" }
        $job = Invoke-Job -Environment $env -Script @'
$ErrorActionPreference = 'Stop'
$d = New-NacDevice -PhoneNumber +36555000111
$d | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 | Out-Null
$d | Clear-NacQodSession
'@
        $job.ExitCode | Should -Not -Be 0
        $job.Output | Should -Match '-Force'
        $job.Output | Should -Match 'non-interactive'
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 0
    }

    It '-ErrorAction Stop turns an API failure into a non-zero exit code' {
        $job = Invoke-Job -Environment @{ NAC_TOKEN = 'k'; NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script @'
Get-NacQodSession -SessionId ([guid]::NewGuid()) -ErrorAction Stop
'exit-not-reached'
'@
        $job.ExitCode | Should -Not -Be 0
        $job.Output | Should -Match 'NOT_FOUND'
        $job.Output | Should -Not -Match 'exit-not-reached'
    }

    It 'a successful job exits 0 with the token only in the environment' {
        $job = Invoke-Job -Environment @{ NAC_TOKEN = 'job-secret-123'; NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script @'
$d = New-NacDevice -PhoneNumber +36555000222
$s = $d | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ErrorAction Stop
$d | Clear-NacQodSession -Force -Verbose -ErrorAction Stop
'done'
'@
        $job.ExitCode | Should -Be 0
        $job.Output | Should -Match 'done'
        $job.Output | Should -Not -Match 'job-secret-123'
    }
}

Describe 'Parallel runspaces keep their own context' {
    It 'ForEach-Object -Parallel: each runspace talks to its own simulator' {
        $a = Start-NacSimulator -NoConnect
        $b = Start-NacSimulator -NoConnect
        try {
            $targets = @(
                [pscustomobject]@{ Url = "$($a.BaseUrl)"; Phone = '+36777000001' }
                [pscustomobject]@{ Url = "$($b.BaseUrl)"; Phone = '+36777000002' }
            )
            $results = $targets | ForEach-Object -ThrottleLimit 2 -Parallel {
                Import-Module $using:ModulePath
                Connect-Nac -Token 'k' -BaseUrl $_.Url
                1..5 | ForEach-Object { Start-Sleep -Milliseconds 20; (Get-NacContext).BaseUrl.ToString() }
                New-NacDevice -PhoneNumber $_.Phone | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 | Out-Null
            }
            ($results | Where-Object { $_ -eq "$($a.BaseUrl)" }) | Should -HaveCount 5
            ($results | Where-Object { $_ -eq "$($b.BaseUrl)" }) | Should -HaveCount 5
            (Get-SimulatorStats $a).sessionsCreated | Should -Be 1
            (Get-SimulatorStats $b).sessionsCreated | Should -Be 1
        } finally {
            $a, $b | Stop-NacSimulator
        }
    }
}
