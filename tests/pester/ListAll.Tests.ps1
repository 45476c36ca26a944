# Every session of the API key (GET /sessions), and the life-cycle answers that must not be dead ends:
# the built module in a real pwsh, the real simulator on 127.0.0.1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -AvailableDelayMs 100
    function Get-LiveCount { (Get-SimulatorStats $Sim).sessionsLive }
}
AfterAll {
    Stop-NacSimulator
}

Describe 'Get-NacQodSession with no parameter' {
    BeforeEach { Reset-Simulator $Sim }

    It 'lists every session of the key, whatever its device; another key''s sessions are never listed' {
        $mine = @(New-TestDevice; New-TestDevice; New-TestDevice) | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        try {
            Connect-Nac -Token 'another-key' -BaseUrl $Sim.BaseUrl
            $theirs = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
            @(Get-NacQodSession).SessionId | Should -Be @($theirs.SessionId)
        } finally {
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
        $listed = @(Get-NacQodSession)
        $listed | Should -HaveCount 3
        ($listed.SessionId | Sort-Object) | Should -Be ($mine.SessionId | Sort-Object)
        $listed | ForEach-Object { $_.Device | Should -Not -BeNullOrEmpty }
    }

    It 'a piped device still binds to -Device and a piped id to -SessionId' {
        $device = New-TestDevice
        $session = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        $null = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        @(Get-NacQodSession) | Should -HaveCount 2
        @($device | Get-NacQodSession).SessionId | Should -Be @($session.SessionId)
        @($session.SessionId | Get-NacQodSession).SessionId | Should -Be @($session.SessionId)
    }

    It 'Get-NacQodSession | Remove-NacQodSession ends every session of the key, and only those' {
        $null = 1..12 | ForEach-Object { New-TestDevice } | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ThrottleLimit 6
        try {
            Connect-Nac -Token 'another-key' -BaseUrl $Sim.BaseUrl
            $theirs = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7
        } finally {
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
        $removed = @(Get-NacQodSession | Remove-NacQodSession -PassThru)
        $removed | Should -HaveCount 12
        Get-NacQodSession | Should -BeNullOrEmpty
        Get-LiveCount | Should -Be 1 -Because 'the other key''s session is not touched'
        $removed.SessionId | Should -Not -Contain $theirs.SessionId
        # Named by id, the other key's session is refused, and the error says why.
        Remove-NacQodSession -SessionId $theirs.SessionId -ErrorVariable denied -ErrorAction SilentlyContinue
        $denied[0].FullyQualifiedErrorId | Should -BeLike 'NacPermissionDenied,*'
        $denied[0].ErrorDetails.RecommendedAction | Should -Match 'another API key'
        Get-LiveCount | Should -Be 1
    }

    It 'finds the sessions of a killed job from a new pwsh, which removes them all' {
        $file = Join-Path $TestDrive 'create-then-hang.ps1'
        Set-Content -Path $file -Value @"
Import-Module '$ModulePath'
Connect-Nac -Token 'simulator-key' -BaseUrl '$($Sim.BaseUrl)'
`$created = 1..5 | ForEach-Object { New-NacDevice -PhoneNumber ('+3672000000{0}' -f `$_) } | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 198.51.100.7
"created `$(@(`$created).Count)"
Start-Sleep -Seconds 120
"@
        $start = [Diagnostics.ProcessStartInfo]::new($Pwsh)
        foreach ($a in @($PwshArgs) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $job = [Diagnostics.Process]::Start($start)
        try {
            $line = $job.StandardOutput.ReadLine()
            $line | Should -Be 'created 5'
        } finally {
            $job.Kill($true)
            $job.WaitForExit()
        }
        Get-LiveCount | Should -Be 5

        $other = Invoke-Job -Environment @{ NAC_TOKEN = 'another-key'; NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script '"listed $(@(Get-NacQodSession).Count)"'
        $other.Output | Should -Match 'listed 0'
        $cleanup = Invoke-Job -Environment @{ NAC_TOKEN = 'simulator-key'; NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script @'
$found = @(Get-NacQodSession)
"found $($found.Count): $(($found.Device.PhoneNumber | Sort-Object) -join ',')"
$removed = @($found | Remove-NacQodSession -PassThru)
"removed $($removed.Count)"
'@
        $cleanup.ExitCode | Should -Be 0
        $cleanup.Output | Should -Match 'found 5: \+36720000001,\+36720000002,\+36720000003,\+36720000004,\+36720000005'
        $cleanup.Output | Should -Match 'removed 5'
        Get-LiveCount | Should -Be 0
    }
}

Describe 'No dead ends with the platform''s life cycle' {
    BeforeEach { Reset-Simulator $Sim }

    It 'a 201 that is already UNAVAILABLE is a failure with its statusInfo, not a session' {
        $device = New-NacDevice -PhoneNumber +99999990201
        $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacSessionEnded,*'
        $err[0].Exception.Message | Should -Match 'NETWORK_TERMINATED'
        $err[0].Exception.StatusInfo | Should -Be 'NETWORK_TERMINATED'
    }

    It 'the same create again after an UNAVAILABLE answer succeeds: the terminated session is deleted first' {
        $device = New-NacDevice -PhoneNumber +99999990201
        $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ErrorAction SilentlyContinue
        $output = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 -ErrorVariable err -ErrorAction SilentlyContinue -Verbose 4>&1
        $verbose = $output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String
        $verbose | Should -Match 'UNAVAILABLE \(NETWORK_TERMINATED\)'
        $verbose | Should -Match 'deleting it and creating the new one'
        @($err | Where-Object { $_.FullyQualifiedErrorId -like 'NacConflict,*' }) | Should -BeNullOrEmpty -Because 'no 409 reaches the user'
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 1
    }

    It 'a session the network terminated, then the same create again: succeeds, no 409 reaches the user' {
        $device = New-NacDevice -PhoneNumber +99999990500
        $first = $device | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 198.51.100.7
        $ended = Wait-SessionStatus $first.SessionId -Status UNAVAILABLE -TimeoutSec 20
        $ended.StatusInfo | Should -Be 'NETWORK_TERMINATED'
        $second = $device | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 198.51.100.7 -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $second.SessionId | Should -Not -Be $first.SessionId
        $second.Status | Should -Not -Be 'UNAVAILABLE'
        Get-NacQodSession -SessionId $first.SessionId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $second | Remove-NacQodSession
    }

    It 'Invoke-NacQodSession does not run the block for a session created UNAVAILABLE, and deletes it' {
        $ran = $false
        Invoke-NacQodSession -Device (New-NacDevice -PhoneNumber +99999990201) -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.7 { $ran = $true } -ErrorVariable err -ErrorAction SilentlyContinue
        $ran | Should -BeFalse
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacSessionEnded,*'
        Get-NacQodSession | Should -BeNullOrEmpty
    }
}
