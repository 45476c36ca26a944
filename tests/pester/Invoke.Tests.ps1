# Invoke-NacQodSession end to end (built module, real simulator on 127.0.0.1): the session exists while
# the block runs, is kept alive by extensions, and is gone afterwards whatever way the block ends.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -AvailableDelayMs 100
    function Get-LiveCount { (Get-SimulatorStats $Sim).sessionsLive }
}
AfterAll {
    Stop-NacSimulator
}

Describe 'Invoke-NacQodSession' {
    BeforeEach { Reset-Simulator $Sim }

    It 'runs the block with the AVAILABLE session as $_, writes its output, and leaves 0 sessions' {
        $device = New-TestDevice
        $output = @(Invoke-NacQodSession -Device $device -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 {
            "status $($_.Status)"
            (Get-NacQodSession -SessionId $_.SessionId).Status
            @(Get-NacQodSession -Device $_.Device).Count
        })
        $output | Should -Be @('status AVAILABLE', 'AVAILABLE', 1)
        Get-LiveCount | Should -Be 0
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 1
    }

    It 'takes devices from the pipeline, one session each' {
        $devices = @(New-TestDevice; New-TestDevice)
        $ids = @($devices | Invoke-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 { $_.SessionId })
        $ids | Should -HaveCount 2
        ($ids | Sort-Object -Unique) | Should -HaveCount 2
        Get-LiveCount | Should -Be 0
    }

    It '-PassThru emits the session as it was just before its deletion, after the block''s output' {
        $output = @(Invoke-NacQodSession -Device (New-TestDevice) -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -PassThru { 'done' })
        $output | Should -HaveCount 2
        $output[0] | Should -Be 'done'
        $output[1] | Should -BeOfType ([NetworkAsCode.QodSession])
        $output[1].Status | Should -Be 'AVAILABLE'
        $output[1].Device | Should -Not -BeNullOrEmpty
        Get-LiveCount | Should -Be 0
    }

    It 'deletes the session when the block throws, and re-throws the block''s error' {
        { Invoke-NacQodSession -Device (New-TestDevice) -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 { throw 'the transfer failed' } } |
            Should -Throw -ExpectedMessage 'the transfer failed'
        (Get-SimulatorStats $Sim).sessionsCreated | Should -Be 1
        Get-LiveCount | Should -Be 0
    }

    It 'deletes the session when the block calls exit' {
        $job = Invoke-Job -Environment @{ NAC_TOKEN = 'k'; NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script @'
Invoke-NacQodSession -Device (New-NacDevice -PhoneNumber +36702223344) -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 { 'inside'; exit 3 }
'after'
'@
        $job.ExitCode | Should -Be 3
        $job.Output | Should -Not -Match 'after'
        (Get-SimulatorStats $Sim).sessionsCreated | Should -Be 1
        Get-LiveCount | Should -Be 0
    }

    It 'deletes the session on Ctrl+C while the block runs' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript(@"
Import-Module '$ModulePath'
Connect-Nac -Token k -BaseUrl '$($Sim.BaseUrl)'
Invoke-NacQodSession -Device (New-NacDevice -PhoneNumber +36702223345) -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 { Start-Sleep -Seconds 60 }
"@)
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ((Get-SimulatorStats $Sim).sessionsAvailable -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        (Get-SimulatorStats $Sim).sessionsAvailable | Should -Be 1
        Start-Sleep -Milliseconds 300   # the block is running
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $clock.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        Get-LiveCount | Should -Be 0
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 1
        $ps.Dispose()
    }

    It 'keeps a block that outlives -Duration alive by extensions, within -MaxDuration' {
        $output = @(Invoke-NacQodSession -Device (New-TestDevice) -Profile QOS_L -Duration 2 -MaxDuration 60 -ServiceIpv4 198.51.100.7 -PassThru {
            Start-Sleep -Seconds 4
            (Get-NacQodSession -SessionId $_.SessionId).Status
        })
        $output[0] | Should -Be 'AVAILABLE' -Because 'the session outlived its 2 s duration while the block ran'
        $output[1].Duration | Should -BeGreaterThan 3
        (Get-SimulatorStats $Sim).sessionsExpired | Should -Be 0
        Get-LiveCount | Should -Be 0
    }

    It 'without -MaxDuration does not extend, and warns when the block ran longer than the session' {
        $output = Invoke-NacQodSession -Device (New-TestDevice) -Profile QOS_L -Duration 1 -ServiceIpv4 198.51.100.7 -WarningVariable warned -WarningAction SilentlyContinue {
            Start-Sleep -Milliseconds 2500
            (Get-NacQodSession -SessionId $_.SessionId).Status
        }
        $output | Should -Be 'UNAVAILABLE'
        "$warned" | Should -Match 'MaxDuration'
        Get-LiveCount | Should -Be 0
    }

    It 'refuses -MaxDuration shorter than -Duration before sending anything' {
        $before = (Get-SimulatorStats $Sim).requests
        Invoke-NacQodSession -Device (New-TestDevice) -Profile QOS_L -Duration 60 -MaxDuration 30 -ServiceIpv4 198.51.100.7 { 'ran' } -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacInvalidArgument,*'
        $err[0].Exception.Message | Should -Match 'MaxDuration'
        (Get-SimulatorStats $Sim).requests | Should -Be $before
    }

    It '-WhatIf sends nothing and does not run the block' {
        $before = (Get-SimulatorStats $Sim).requests
        Invoke-NacQodSession -Device (New-TestDevice) -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -WhatIf { 'ran' } | Should -BeNullOrEmpty
        (Get-SimulatorStats $Sim).requests | Should -Be $before
    }

    It 'a create that conflicts does not run the block and deletes nothing' {
        $device = New-TestDevice
        $existing = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        Invoke-NacQodSession -Device $device -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 { 'ran' } -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacConflict,*'
        (Get-NacQodSession -SessionId $existing.SessionId).SessionId | Should -Be $existing.SessionId
    }
}
