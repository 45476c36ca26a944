# Sessions as users live them, end to end (built module, real simulator on 127.0.0.1): pipeline binding,
# bulk Remove/Update/Clear, no dead ends (REQUESTED, re-run jobs), and Ctrl+C during a bulk create.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -AvailableDelayMs 100

    function Get-LiveCount { (Get-SimulatorStats $Sim).sessionsLive }

    function New-Devices([int] $Count) {
        $base = Get-Random -Minimum 10000000 -Maximum 89999999
        1..$Count | ForEach-Object { New-NacDevice -PhoneNumber "+36$($base + $_)" }
    }
}
AfterAll {
    Stop-NacSimulator
}

Describe 'Pipeline binding' {
    BeforeEach { Reset-Simulator $Sim }

    It 'a piped device binds to Get-NacQodSession -Device, a piped id to -SessionId' {
        $device = New-TestDevice
        $session = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        $byDevice = @($device | Get-NacQodSession)
        $byDevice | Should -HaveCount 1
        $byDevice[0].Device | Should -Be $device
        (@($session.SessionId | Get-NacQodSession))[0].SessionId | Should -Be $session.SessionId
        (@($session | Get-NacQodSession))[0].SessionId | Should -Be $session.SessionId
    }

    It 'a phone-number string piped into New-NacQodSession names New-NacDevice, and nothing is sent' {
        $before = (Get-SimulatorStats $Sim).requests
        { '+36701234567' | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*New-NacDevice -PhoneNumber ''+36701234567''*'
        (Get-SimulatorStats $Sim).requests | Should -Be $before
    }

    It 'a session piped into Clear-NacQodSession clears its device' {
        $device = New-TestDevice
        $first = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        $null = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.8
        $removed = @($first | Clear-NacQodSession -Force -PassThru)
        $removed | Should -HaveCount 2
        Get-NacQodSession -Device $device | Should -BeNullOrEmpty
    }

    It 'two sessions of one device piped into Clear-NacQodSession clear it once, asking once' {
        $device = New-TestDevice
        $sessions = @(
            $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
            $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.8
        )
        $whatIf = Invoke-Job -Environment @{ NAC_TOKEN = 'simulator-key'; NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script @"
`$d = New-NacDevice -PhoneNumber '$($device.PhoneNumber)'
Get-NacQodSession -Device `$d | Clear-NacQodSession -WhatIf
"@
        ([regex]::Matches($whatIf.Output, 'What if: .*Remove QoD session')).Count | Should -Be 2
        $removed = @($sessions | Clear-NacQodSession -Force -PassThru)
        $removed | Should -HaveCount 2
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 2
    }
}

Describe 'Bulk' {
    BeforeEach { Reset-Simulator $Sim }

    It 'Remove-NacQodSession -ThrottleLimit removes every piped session once' {
        $sessions = New-Devices 24 | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ThrottleLimit 8
        $sessions | Should -HaveCount 24
        $removed = @($sessions | Remove-NacQodSession -ThrottleLimit 8 -PassThru)
        $removed | Should -HaveCount 24
        ($removed.SessionId | Sort-Object -Unique) | Should -HaveCount 24
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 24
        Get-LiveCount | Should -Be 0
    }

    It 'Remove-NacQodSession reports a missing session per item and goes on' {
        $sessions = @(New-Devices 3 | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7)
        $ids = @($sessions[0].SessionId, [guid]::NewGuid().ToString(), $sessions[1].SessionId, $sessions[2].SessionId)
        $ids | Remove-NacQodSession -ThrottleLimit 4 -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacSessionNotFound,*'
        Get-LiveCount | Should -Be 0
    }

    It 'Update-NacQodSession -ThrottleLimit extends every piped session' {
        $sessions = New-Devices 12 | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ThrottleLimit 6 -Wait
        $extended = @($sessions | Update-NacQodSession -ExtendBy 30 -ThrottleLimit 6)
        $extended | Should -HaveCount 12
        $extended | ForEach-Object { $_.Duration | Should -Be 90 }
        $sessions | Remove-NacQodSession
    }

    It 'Clear-NacQodSession works on many piped devices: -WhatIf lists each session, -Force removes them all' {
        $devices = @(New-Devices 10)
        $null = $devices | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ThrottleLimit 10
        $null = $devices | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.8 -ThrottleLimit 10
        $phones = ($devices.PhoneNumber | ForEach-Object { "'$_'" }) -join ','
        $whatIf = Invoke-Job -Environment @{ NAC_TOKEN = 'simulator-key'; NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script "$phones | ForEach-Object { New-NacDevice -PhoneNumber `$_ } | Clear-NacQodSession -WhatIf"
        ([regex]::Matches($whatIf.Output, 'What if: .*Remove QoD session')).Count | Should -Be 20
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 0
        $removed = @($devices | Clear-NacQodSession -Force -PassThru -ThrottleLimit 8)
        $removed | Should -HaveCount 20
        Get-LiveCount | Should -Be 0
    }

    It 'Clear-NacQodSession without -Force in a non-interactive job fails with NacConfirmationRequired before deleting' {
        $device = New-TestDevice
        $null = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        $job = Invoke-Job -Environment @{ NAC_TOKEN = 'simulator-key'; NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script @"
`$ErrorActionPreference = 'Stop'
'$($device.PhoneNumber)', '+36799999999' | ForEach-Object { New-NacDevice -PhoneNumber `$_ } | Clear-NacQodSession
"@
        $job.ExitCode | Should -Not -Be 0
        $job.Output | Should -Match 'NacConfirmationRequired|non-interactive'
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 0
    }
}

Describe 'No dead ends' {
    BeforeEach { Reset-Simulator $Sim }

    It 'Update-NacQodSession on a REQUESTED session waits until AVAILABLE, then extends' {
        $slow = Start-NacSimulator -AvailableDelayMs 1500 -NoConnect
        try {
            Connect-Nac -Token k -BaseUrl $slow.BaseUrl
            $session = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
            $session.Status | Should -Be 'REQUESTED'
            $extended = $session | Update-NacQodSession -ExtendBy 30 -Verbose 4>&1
            $verbose = $extended | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String
            $verbose | Should -Match 'still REQUESTED: waiting'
            $result = $extended | Where-Object { $_ -is [NetworkAsCode.QodSession] }
            $result.Status | Should -Be 'AVAILABLE'
            $result.Duration | Should -Be 90
        } finally {
            $slow | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
    }

    It 'Update-NacQodSession gives up on a REQUESTED session after -TimeoutSec with NacWaitTimeout' {
        $slow = Start-NacSimulator -AvailableDelayMs 60000 -NoConnect
        try {
            Connect-Nac -Token k -BaseUrl $slow.BaseUrl
            $session = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
            $session | Update-NacQodSession -ExtendBy 30 -TimeoutSec 1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacWaitTimeout,*'
            $err[0].Exception.Message | Should -Match 'still REQUESTED'
        } finally {
            $slow | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
    }

    It 'New-NacQodSession -Wait returns the session once AVAILABLE' {
        $session = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -Wait
        $session.Status | Should -Be 'AVAILABLE'
        $session.ExpiresAt | Should -Not -BeNullOrEmpty
        $session.Device | Should -Not -BeNullOrEmpty
    }

    It 'a re-run create fails with NacConflict naming the existing session and -IfExists' {
        $device = New-TestDevice
        $first = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacConflict,*'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($first.SessionId))
        $err[0].Exception.Message | Should -Match '-IfExists Reuse'
        $err[0].Exception.Message | Should -Match '-IfExists Replace'
        $err[0].ErrorDetails.RecommendedAction | Should -Match '-IfExists Reuse or -IfExists Replace'
    }

    It '-IfExists Reuse returns the active session, extended to last the requested duration from now' {
        $device = New-TestDevice
        $first = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -Wait
        $again = $device | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 198.51.100.7 -IfExists Reuse
        $again.SessionId | Should -Be $first.SessionId
        $again.Status | Should -Be 'AVAILABLE'
        ($again.ExpiresAt - [DateTimeOffset]::UtcNow).TotalSeconds | Should -BeGreaterThan 590
        $again.Device | Should -Be $device
        (Get-SimulatorStats $Sim).sessionsCreated | Should -Be 1
    }

    It '-IfExists Reuse does not shorten or extend a session that already lasts long enough' {
        $device = New-TestDevice
        $first = $device | New-NacQodSession -Profile QOS_L -Duration 3600 -ServiceIpv4 198.51.100.7 -Wait
        $again = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -IfExists Reuse
        $again.SessionId | Should -Be $first.SessionId
        $again.ExpiresAt | Should -Be $first.ExpiresAt
    }

    It '-IfExists Replace deletes the active session and creates a new one' {
        $device = New-TestDevice
        $first = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        $second = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -IfExists Replace
        $second.SessionId | Should -Not -Be $first.SessionId
        @(Get-NacQodSession -Device $device).SessionId | Should -Be @($second.SessionId)
    }

    It 'a 409 caused by another flow is not resolved: the error names the device''s active sessions' {
        $device = New-TestDevice
        $first = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.0/24
        $device | New-NacQodSession -Profile QOS_M -Duration 60 -ServiceIpv4 198.51.100.7 -IfExists Replace -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacConflict,*'
        $err[0].Exception.Message | Should -Match ([regex]::Escape($first.SessionId))
        @(Get-NacQodSession -Device $device) | Should -HaveCount 1
    }
}

Describe 'Ctrl+C during a bulk create' {
    It 'ends the command and names every session already created in a warning' {
        $slow = Start-NacSimulator -LatencyMs 150 -NoConnect
        try {
            $ps = [powershell]::Create()
            $null = $ps.AddScript(@"
Import-Module '$ModulePath'
Connect-Nac -Token k -BaseUrl '$($slow.BaseUrl)'
`$created = 1..200 | ForEach-Object { New-NacDevice -PhoneNumber ('+3671{0:d7}' -f `$_) } | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ThrottleLimit 4
"@)
            $async = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-SimulatorStats $slow).sessionsCreated -lt 5 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            Start-Sleep -Milliseconds 500   # a create the server was still answering lands in its table
            $warning = ($ps.Streams.Warning | ForEach-Object Message) -join "`n"
            $warning | Should -Match 'Stopped after creating'
            $live = Invoke-RestMethod -Uri ([Uri]::new($slow.BaseUrl, '/_simulator/stats'))
            $live.sessionsCreated | Should -BeGreaterThan 4
            $live.sessionsCreated | Should -BeLessThan 200
            # Every session that exists was named (or its device was named as in flight).
            Connect-Nac -Token k -BaseUrl $slow.BaseUrl
            $named = [regex]::Matches($warning, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}') | ForEach-Object Value
            $inFlight = [regex]::Matches($warning, '\+3671\d{7}') | ForEach-Object Value
            foreach ($n in 1..200) {
                $phone = '+3671{0:d7}' -f $n
                $sessions = @(Get-NacQodSession -Device (New-NacDevice -PhoneNumber $phone))
                foreach ($s in $sessions) { ($s.SessionId -in $named) -or ($phone -in $inFlight) | Should -BeTrue -Because "session $($s.SessionId) of $phone exists" }
                if ($n -gt $live.sessionsCreated + 8) { break }
            }
            $ps.Dispose()
        } finally {
            $slow | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
    }

    It 'Ctrl+C ends a bulk remove' {
        $slow = Start-NacSimulator -LatencyMs 300 -NoConnect
        try {
            Connect-Nac -Token k -BaseUrl $slow.BaseUrl
            $sessions = New-Devices 12 | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ThrottleLimit 12
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$ModulePath'; Connect-Nac -Token k -BaseUrl '$($slow.BaseUrl)'; `$args[0] | Remove-NacQodSession -ThrottleLimit 2").AddArgument($sessions.SessionId)
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds 700
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            (Get-SimulatorStats $slow).sessionsDeleted | Should -BeLessThan 12
            $ps.Dispose()
        } finally {
            $slow | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
    }
}
