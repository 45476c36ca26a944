# One deadline per operation as the user sees it, end to end (built module, real simulator on 127.0.0.1):
# -TimeoutSec bounds a create with -Wait, an extension of a REQUESTED session and Invoke-NacQodSession's
# create and wait as a whole, not each step. The simulators here answer every request slowly (-LatencyMs)
# and keep sessions REQUESTED for a minute, so that a step with a limit of its own would run well past
# -TimeoutSec. The stopwatch bounds are correctness bounds (-TimeoutSec plus a generous second), not speed goals.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    # Sessions stay REQUESTED for a minute; every request takes 1.2 s.
    $script:Slow = Start-NacSimulator -AvailableDelayMs 60000 -LatencyMs 1200 -NoConnect
    Connect-Nac -Token k -BaseUrl $Slow.BaseUrl
}
AfterAll {
    $Slow | Stop-NacSimulator
}

Describe '-TimeoutSec bounds the whole operation' {
    It 'New-NacQodSession -Wait stops at -TimeoutSec, create included, and says it created the session' {
        $device = New-TestDevice
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -Wait -TimeoutSec 3 -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $clock.Stop()
        # A wait with a limit of its own would start after the 1.2 s create and take 3 s more.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacWaitTimeout,*'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err[0].TargetObject | Should -Be $device
        $id = $err[0].Exception.Session.SessionId
        $id | Should -Not -BeNullOrEmpty
        $err[0].Exception.Message | Should -Match ('^Created QoD session {0} for {1}; QoD session {0} is still REQUESTED' -f [regex]::Escape($id), [regex]::Escape("$device"))
        $err[0].Exception.Message | Should -Match 'after [23]\.\d s'
        $err[0].Exception.Message | Should -Match 'within the 3 s this operation may take \(-TimeoutSec, else NAC_TIMEOUT_SEC\)'
        $err[0].Exception.Waited.TotalSeconds | Should -BeLessThan 4
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Allow longer with -TimeoutSec'
        (Get-SimulatorStats $Slow).sessionsLive | Should -BeGreaterThan 0
    }

    It 'NAC_TIMEOUT_SEC is that deadline when -TimeoutSec is not given' {
        $job = Invoke-Job -Environment @{ NAC_TIMEOUT_SEC = '3' } -Script @"
Connect-Nac -Token k -BaseUrl '$($Slow.BaseUrl)'
`$clock = [Diagnostics.Stopwatch]::StartNew()
New-NacDevice -PhoneNumber '+3670$(Get-Random -Minimum 1000000 -Maximum 9999999)' | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -Wait -ErrorVariable err -ErrorAction SilentlyContinue
'elapsed={0:0.0}' -f `$clock.Elapsed.TotalSeconds
'id=' + `$err[0].FullyQualifiedErrorId
"@
        $job.Output | Should -Match 'id=NacWaitTimeout,'
        [double]([regex]::Match($job.Output, 'elapsed=([\d.]+)').Groups[1].Value) | Should -BeLessThan 4
    }

    It 'Update-NacQodSession on a REQUESTED session stops at -TimeoutSec, refused extension and wait included, and does not extend' {
        $session = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        $session.Status | Should -Be 'REQUESTED'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $session | Update-NacQodSession -ExtendBy 30 -TimeoutSec 5 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $clock.Stop()
        # The refused extension (1.2 s) and the read (1.2 s) before a wait with a limit of its own would make 7.4 s or more.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 6
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacWaitTimeout,*'
        $err[0].Exception.Message | Should -Match ('^The extension of QoD session {0} by 30 s was refused \(409 QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED\)' -f [regex]::Escape($session.SessionId))
        $err[0].Exception.Message | Should -Match 'still REQUESTED'
        $err[0].Exception.Message | Should -Match 'It was not extended\.'
        (Get-NacQodSession -SessionId $session.SessionId).Duration | Should -Be 60
    }

    It 'Invoke-NacQodSession: create and wait share -TimeoutSec; the block does not run and the session is deleted' {
        $script:ran = $false
        $clock = [Diagnostics.Stopwatch]::StartNew()
        Invoke-NacQodSession -Device (New-TestDevice) -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -TimeoutSec 3 { $script:ran = $true } -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $clock.Stop()
        # Create and wait end by 3 s; the delete (1.2 s) has a time of its own. A wait with a limit of its own would end after 4.2 s.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5.2
        $script:ran | Should -BeFalse
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacWaitTimeout,*'
        $err[0].Exception.Message | Should -Match 'still REQUESTED'
        $err[0].Exception.Waited.TotalSeconds | Should -BeLessThan 4
        (Get-SimulatorStats $Slow).sessionsDeleted | Should -BeGreaterThan 0
    }

    It 'Ctrl+C ends New-NacQodSession -Wait at once, however long -TimeoutSec is' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript(@"
Import-Module '$ModulePath'
Connect-Nac -Token k -BaseUrl '$($Slow.BaseUrl)'
New-NacDevice -PhoneNumber '+3670$(Get-Random -Minimum 1000000 -Maximum 9999999)' | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -Wait -TimeoutSec 600
"@)
        try {
            $before = (Get-SimulatorStats $Slow).sessionsCreated
            $null = $ps.BeginInvoke()
            # Once the create is done, it waits.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-SimulatorStats $Slow).sessionsCreated -le $before -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            Start-Sleep -Milliseconds 500
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
        } finally {
            $ps.Dispose()
        }
    }
}
