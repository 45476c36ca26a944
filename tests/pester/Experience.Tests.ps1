# The first five minutes: output reads as a table, Tab completes, profiles and waiting work.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -AvailableDelayMs 300

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText
    }
}
AfterAll {
    Stop-NacSimulator
}

Describe 'Formatting' {
    It 'a session prints as a short table with id, profile, status, duration, expiry and device' {
        $session = New-NacDevice -PhoneNumber +36600000001 | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
        $text = $session | Out-String -Width 200
        $lines = @($text.Trim() -split "`r?`n")
        $lines.Count | Should -Be 3 -Because 'header, separator, one row'
        $lines[0] | Should -Match 'SessionId\s+Profile\s+Status\s+Duration\s+Expires \(local\)\s+Device'
        $lines[2] | Should -Match ([regex]::Escape($session.SessionId))
        $lines[2] | Should -Match '\+36600000001'
    }

    It 'the list view shows every property' {
        $session = New-NacDevice -PhoneNumber +36600000002 | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 -ServicePortRange 80-443
        $text = $session | Format-List | Out-String -Width 200
        foreach ($name in 'SessionId', 'Profile', 'Status', 'StatusInfo', 'StartedAt', 'ExpiresAt', 'Duration', 'ServiceIpv4', 'ServiceIpv6', 'ServicePorts', 'DevicePorts', 'Device', 'NotificationUrl') {
            $text | Should -Match "(?m)^$name\s*:"
        }
        $text | Should -Match 'ServicePorts\s*:\s*80-443'
    }

    It 'devices and profiles print as tables' {
        (New-NacDevice -PhoneNumber +36600000003 -Ipv6Address 2001:db8::3 | Out-String) | Should -Match 'Identifier\s+Other identifiers\s+-+\s+-+\s+\+36600000003\s+2001:db8::3'
        (Get-NacQosProfile -Name QOS_E -Offline | Out-String -Width 200) | Should -Match 'Name\s+Status\s+.*Description'
    }
}

Describe 'Tab completion' {
    It '-Profile completes the documented labels, filtered by what is typed' {
        $all = Get-Completion 'New-NacQodSession -Profile '
        $all | Should -HaveCount 13
        Get-Completion 'New-NacQodSession -Profile DOWNLINK_L' | Should -Be @('DOWNLINK_L_UPLINK_S', 'DOWNLINK_L_UPLINK_M', 'DOWNLINK_L_UPLINK_L')
        Get-Completion 'New-NacQodSession -Profile qos_' | Should -Be @('QOS_E', 'QOS_S', 'QOS_M', 'QOS_L')
    }

    It '-SessionId completes the ids this runspace has seen' {
        $session = New-NacDevice -PhoneNumber +36600000004 | New-NacQodSession -Profile QOS_S -Duration 60 -ServiceIpv4 233.252.0.2
        Get-Completion 'Get-NacQodSession -SessionId ' | Should -Contain $session.SessionId
        Get-Completion "Remove-NacQodSession -SessionId $($session.SessionId.Substring(0, 8))" | Should -Be @($session.SessionId)
        $session | Remove-NacQodSession
        Get-Completion 'Get-NacQodSession -SessionId ' | Should -Not -Contain $session.SessionId
    }
}

Describe 'Get-NacQosProfile' {
    It 'lists the 13 labels with descriptions offline' {
        $profiles = Get-NacQosProfile -Offline
        $profiles | Should -HaveCount 13
        $profiles | ForEach-Object { $_.Description | Should -Not -BeNullOrEmpty }
        ($profiles | Where-Object Source -ne 'Built-in') | Should -BeNullOrEmpty
    }

    It 'enriches them with the server''s attributes when the qos-profiles API answers' {
        $profile = Get-NacQosProfile -Name DOWNLINK_L_UPLINK_L
        $profile.Source | Should -Be 'Server'
        $profile.Status | Should -Be 'ACTIVE'
        $profile.MaxDownstreamRate | Should -Match '^\d+ (bps|kbps|Mbps|Gbps)$'
        $profile.MaxDuration | Should -Not -BeNullOrEmpty
    }

    It 'filters with wildcards and reports an unknown exact name' {
        (Get-NacQosProfile -Name 'QOS_*').Name | Should -Be @('QOS_E', 'QOS_S', 'QOS_M', 'QOS_L')
        Get-NacQosProfile -Name NO_SUCH -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacProfileNotFound,*'
    }

    It 'works without any connection, from the built-in list' {
        Disconnect-Nac
        try {
            (Get-NacQosProfile -Name QOS_M).Source | Should -Be 'Built-in'
        } finally {
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
    }
}

Describe 'Wait-NacQodSession' {
    It 'waits until a new session is AVAILABLE and returns it' {
        $session = New-NacDevice -PhoneNumber +36600000005 | New-NacQodSession -Profile QOS_S -Duration 60 -ServiceIpv4 233.252.0.2
        $session.Status | Should -Be 'REQUESTED'
        $ready = $session | Wait-NacQodSession -TimeoutSec 20
        $ready.Status | Should -Be 'AVAILABLE'
        $ready.SessionId | Should -Be $session.SessionId
    }

    It 'waits for the end of a session by id' {
        $session = New-NacDevice -PhoneNumber +36600000006 | New-NacQodSession -Profile QOS_S -Duration 1 -ServiceIpv4 233.252.0.2
        $ended = Wait-NacQodSession -SessionId $session.SessionId -Status Unavailable -TimeoutSec 20
        $ended.StatusInfo | Should -Be 'DURATION_EXPIRED'
    }

    It 'fails clearly on timeout' {
        $session = New-NacDevice -PhoneNumber +36600000007 | New-NacQodSession -Profile QOS_S -Duration 600 -ServiceIpv4 233.252.0.2
        $session | Wait-NacQodSession -Status Unavailable -TimeoutSec 1 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacWaitTimeout,*'
        $err[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $err[0].Exception.Message | Should -Match 'after 1 s'
    }

    It 'fails at once when the session can no longer become AVAILABLE' {
        $slow = Start-NacSimulator -AvailableDelayMs 0 -NoConnect
        try {
            Connect-Nac -Token k -BaseUrl $slow.BaseUrl
            $session = New-NacDevice -PhoneNumber +36600000008 | New-NacQodSession -Profile QOS_S -Duration 1 -ServiceIpv4 233.252.0.2
            Wait-NacQodSession -SessionId $session.SessionId -Status Unavailable -TimeoutSec 20 | Out-Null
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $session | Wait-NacQodSession -TimeoutSec 30 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacSessionEnded,*'
        } finally {
            $slow | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
    }
}
