# The QoD cmdlets end to end: the built module in this pwsh, the simulator as a real HTTP server on 127.0.0.1.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -AvailableDelayMs 100
}
AfterAll {
    Stop-NacSimulator
}

Describe 'The seed walkthrough' {
    BeforeAll {
        Reset-Simulator $Sim
        $script:Device = New-NacDevice -PhoneNumber +36721601234567 -Ipv4PublicAddress 233.252.0.2 -Ipv4PrivateAddress 192.0.2.25 -Ipv4PublicPort 80 -Ipv6Address 2001:db8:1234:5678:9abc:def0:fedc:ba98
    }

    It 'creates a session with an IPv4 and IPv6 service, duration and profile' {
        $script:Session = $Device | New-NacQodSession -ServiceIpv4 233.252.0.2 -ServiceIpv6 2001:db8:1234:5678:9abc:def0:fedc:ba98 -Profile DOWNLINK_L_UPLINK_L -Duration 3600
        $Session | Should -BeOfType ([NetworkAsCode.QodSession])
        $Session.SessionId | Should -Match '^[0-9a-f-]{36}$'
        $Session.Id | Should -Be $Session.SessionId
        $Session.Profile | Should -Be 'DOWNLINK_L_UPLINK_L'
        $Session.Status | Should -Be 'REQUESTED'
        $Session.ServiceIpv4 | Should -Be '233.252.0.2'
        $Session.ServiceIpv6 | Should -Be '2001:db8:1234:5678:9abc:def0:fedc:ba98'
        $Session.Duration | Should -Be 3600
        $Session.Device | Should -Be $Device
    }

    It 'reports timezone-aware start and expiry once AVAILABLE' {
        $available = Wait-SessionStatus $Session.SessionId
        $available.Status | Should -Be 'AVAILABLE'
        $available.StartedAt | Should -BeOfType ([DateTimeOffset])
        $available.ExpiresAt | Should -BeOfType ([DateTimeOffset])
        ($available.ExpiresAt - $available.StartedAt).TotalSeconds | Should -Be 3600
        [Math]::Abs(($available.StartedAt - [DateTimeOffset]::UtcNow).TotalMinutes) | Should -BeLessThan 5
        $script:Session = $available
    }

    It 'creates a session with service port ranges and device ports' {
        $script:Ported = $Device | New-NacQodSession -ServiceIpv4 198.51.100.7 -Profile QOS_L -Duration 3600 -ServicePortRange 80-443 -DevicePort 1600, 2000
        $Ported.ServicePorts.Ranges | Should -HaveCount 1
        $Ported.ServicePorts.Ranges[0].From | Should -Be 80
        $Ported.ServicePorts.Ranges[0].To | Should -Be 443
        $Ported.DevicePorts.Ports | Should -Be @(1600, 2000)
    }

    It 'extends a session from the pipeline and moves its expiry' {
        $extended = $Session | Update-NacQodSession -ExtendBy 300
        $extended.Duration | Should -Be 3900
        ($extended.ExpiresAt - $Session.ExpiresAt).TotalSeconds | Should -Be 300
    }

    It 'lists the sessions of a device, also when the device is piped' {
        @($Device | Get-NacQodSession) | Should -HaveCount 2 -Because 'a piped device must bind to -Device, not be coerced into -SessionId'
        $all = Get-NacQodSession -Device $Device
        $all | Should -HaveCount 2
        $all.SessionId | Should -Contain $Session.SessionId
        $all.SessionId | Should -Contain $Ported.SessionId
        $all[0].Device | Should -Be $Device
    }

    It 'gets a session by -SessionId, by -Id and from the pipeline' {
        (Get-NacQodSession -SessionId $Session.SessionId).SessionId | Should -Be $Session.SessionId
        (Get-NacQodSession -Id $Session.SessionId).SessionId | Should -Be $Session.SessionId
        ($Session | Get-NacQodSession).SessionId | Should -Be $Session.SessionId
        ($Session.SessionId | Get-NacQodSession).SessionId | Should -Be $Session.SessionId
        # After a get by id the device is the one the server echoed: exactly one identifier.
        (Get-NacQodSession -SessionId $Session.SessionId).Device.PhoneNumber | Should -Be '+36721601234567'
    }

    It 'removes a session from the pipeline; the id is then unknown' {
        $Session | Remove-NacQodSession
        Get-NacQodSession -SessionId $Session.SessionId -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacSessionNotFound,*'
    }

    It 'clears the remaining sessions of the device with -Force' {
        $Device | Clear-NacQodSession -Force
        Get-NacQodSession -Device $Device | Should -BeNullOrEmpty
    }
}

Describe 'Pipeline binding' {
    BeforeEach { Reset-Simulator $Sim }

    It 'binds Import-Csv rows to New-NacDevice by property name; empty cells mean absent' {
        $csv = Join-Path $TestDrive 'devices.csv'
        @(
            'PhoneNumber,Ipv4PublicAddress,Ipv4PrivateAddress,Ipv4PublicPort,Ipv6Address'
            '+36111111111,,,,'
            ',233.252.0.9,,8080,'
            ',,,,2001:db8::9'
        ) | Set-Content $csv
        $devices = Import-Csv $csv | New-NacDevice
        $devices | Should -HaveCount 3
        $devices[0].PhoneNumber | Should -Be '+36111111111'
        $devices[0].Ipv4Address | Should -BeNullOrEmpty
        $devices[1].Ipv4Address.PublicAddress | Should -Be '233.252.0.9'
        $devices[1].Ipv4Address.PublicPort | Should -Be 8080
        $devices[1].Ipv4Address.PrivateAddress | Should -BeNullOrEmpty
        $devices[2].Ipv6Address | Should -Be '2001:db8::9'
    }

    It 'creates one session per device piped in' {
        $devices = 1..3 | ForEach-Object { New-TestDevice }
        $sessions = $devices | New-NacQodSession -Profile QOS_E -Duration 60 -ServiceIpv4 233.252.0.2
        $sessions | Should -HaveCount 3
        ($sessions.Device.PhoneNumber | Sort-Object) | Should -Be ($devices.PhoneNumber | Sort-Object)
        (Get-SimulatorStats $Sim).sessionsCreated | Should -Be 3
    }

    It 'pipes Get-NacQodSession -Device into Update- and Remove-NacQodSession' {
        $device = New-TestDevice
        $created = $device | New-NacQodSession -Profile QOS_M -Duration 60 -ServiceIpv4 233.252.0.2
        Wait-SessionStatus $created.SessionId | Out-Null
        $updated = Get-NacQodSession -Device $device | Update-NacQodSession -ExtendBy 60
        $updated.Duration | Should -Be 120
        $removed = Get-NacQodSession -Device $device | Remove-NacQodSession -PassThru
        $removed.SessionId | Should -Be $created.SessionId
        Get-NacQodSession -Device $device | Should -BeNullOrEmpty
    }

    It 'binds objects with a SessionId or Id property by name' {
        $device = New-TestDevice
        $a = $device | New-NacQodSession -Profile QOS_M -Duration 60 -ServiceIpv4 233.252.0.2 -ServicePort 80
        $b = $device | New-NacQodSession -Profile QOS_M -Duration 60 -ServiceIpv4 233.252.0.2 -ServicePort 81
        ([pscustomobject]@{ Id = $a.SessionId } | Get-NacQodSession).SessionId | Should -Be $a.SessionId
        [pscustomobject]@{ SessionId = $a.SessionId }, [pscustomobject]@{ Id = $b.SessionId } | Remove-NacQodSession
        Get-NacQodSession -Device $device | Should -BeNullOrEmpty
    }

    It 'clears the sessions of several piped devices' {
        $devices = 1..2 | ForEach-Object { New-TestDevice }
        $devices | New-NacQodSession -Profile QOS_S -Duration 60 -ServiceIpv4 233.252.0.2 | Out-Null
        $removed = $devices | Clear-NacQodSession -Force -PassThru
        $removed | Should -HaveCount 2
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 2
    }
}

Describe '-WhatIf sends no mutating request' {
    BeforeAll {
        Reset-Simulator $Sim
        $script:Device = New-TestDevice
        $script:Existing = $Device | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
        Wait-SessionStatus $Existing.SessionId | Out-Null
    }

    It 'New-NacQodSession -WhatIf creates nothing and sends nothing' {
        $before = Get-SimulatorStats $Sim
        $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 198.51.100.1 -WhatIf | Should -BeNullOrEmpty
        $after = Get-SimulatorStats $Sim
        $after.sessionsCreated | Should -Be $before.sessionsCreated
        $after.requests | Should -Be $before.requests
    }

    It 'Update-NacQodSession -WhatIf leaves the duration alone' {
        $Existing | Update-NacQodSession -ExtendBy 100 -WhatIf
        (Get-NacQodSession -SessionId $Existing.SessionId).Duration | Should -Be 600
    }

    It 'Remove-NacQodSession -WhatIf removes nothing' {
        $Existing | Remove-NacQodSession -WhatIf
        (Get-NacQodSession -SessionId $Existing.SessionId).Status | Should -Be 'AVAILABLE'
    }

    It 'Clear-NacQodSession -Force -WhatIf lists each session and removes none' {
        $output = $Device | Clear-NacQodSession -Force -WhatIf 6>&1 | Out-String
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 0
        Get-NacQodSession -Device $Device | Should -HaveCount 1
    }

    It 'Clear-NacQodSession -Force honours $WhatIfPreference' {
        $WhatIfPreference = $true
        try { $Device | Clear-NacQodSession -Force } finally { $WhatIfPreference = $false }
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 0
    }

    It 'Clear-NacQodSession -Confirm:$false removes without -Force' {
        $Device | Clear-NacQodSession -Confirm:$false
        Get-NacQodSession -Device $Device | Should -BeNullOrEmpty
    }
}

Describe 'Errors are per item, categorised and carry the server''s code' {
    BeforeEach { Reset-Simulator $Sim }

    It 'a missing session is ObjectNotFound and the next id still runs' {
        $session = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2
        $unknown = [guid]::NewGuid().ToString()
        $found = $unknown, $session.SessionId | Get-NacQodSession -ErrorVariable err -ErrorAction SilentlyContinue
        $found.SessionId | Should -Be $session.SessionId
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacSessionNotFound,NetworkAsCode.Commands.GetNacQodSessionCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be $unknown
        $err[0].Exception.Message | Should -Match 'NOT_FOUND'
        $err[0].Exception.Message | Should -Match 'x-correlator'
    }

    It 'an overlapping session is ResourceExists with the CONFLICT code' {
        $device = New-TestDevice
        $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 | Out-Null
        $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.0/24 -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacConflict,*'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        $err[0].Exception.Message | Should -Match '409'
        $err[0].Exception.Message | Should -Match 'CONFLICT'
        $err[0].TargetObject | Should -Be $device
    }

    It 'the simulator''s not-found number is ObjectNotFound (IDENTIFIER_NOT_FOUND)' {
        New-NacDevice -PhoneNumber +99999990404 | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacDeviceNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].Exception.Message | Should -Match 'IDENTIFIER_NOT_FOUND'
    }

    It 'a device the service does not apply to is InvalidArgument (422)' {
        New-NacDevice -PhoneNumber +99999990422 | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacInvalidRequest,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match '422'
        $err[0].Exception.Message | Should -Match 'SERVICE_NOT_APPLICABLE'
    }

    It 'an unknown profile is refused by the server with INVALID_ARGUMENT' {
        New-TestDevice | New-NacQodSession -Profile NO_SUCH_PROFILE -Duration 60 -ServiceIpv4 233.252.0.2 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Match 'INVALID_ARGUMENT'
    }

    It '-ErrorAction Stop turns an API failure into an exception' {
        { Get-NacQodSession -SessionId ([guid]::NewGuid()) -ErrorAction Stop } | Should -Throw -ErrorId 'NacSessionNotFound,*'
    }

    It 'a refused connection is ConnectionError naming the URL' {
        Connect-Nac -Token 'x' -BaseUrl 'http://127.0.0.1:9'
        try {
            Get-NacQodSession -SessionId ([guid]::NewGuid()) -ErrorVariable err -ErrorAction SilentlyContinue
        } finally {
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacConnectionFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $err[0].Exception.Message | Should -Match '127\.0\.0\.1:9'
    }
}

Describe 'Errors from a simulator with faults and a fixed key' {
    It 'a wrong API key is NacInvalidApiKey with the gateway''s message' {
        $strict = Start-NacSimulator -ApiKey 'right-key' -NoConnect
        try {
            Connect-Nac -Token 'wrong-key' -BaseUrl $strict.BaseUrl
            # A gateway refusal stops the command: it may come as a terminating error.
            $err = @()
            try { Get-NacQodSession -SessionId ([guid]::NewGuid()) -ErrorVariable err -ErrorAction SilentlyContinue } catch { $err = @($_) }
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacInvalidApiKey,*'
            $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err[0].Exception.Message | Should -Match 'Invalid API key'
            $err[0].Exception.Message | Should -Not -Match 'wrong-key'
        } finally {
            $strict | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
    }

    It 'throttling is LimitsExceeded and a failing service is ResourceUnavailable' {
        $throttled = Start-NacSimulator -ThrottleEvery 1 -NoConnect
        $failing = Start-NacSimulator -FailRate 1 -NoConnect
        try {
            Connect-Nac -Token 'k' -BaseUrl $throttled.BaseUrl
            New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -MaxRetry 0 -ErrorVariable err429 -ErrorAction SilentlyContinue
            Connect-Nac -Token 'k' -BaseUrl $failing.BaseUrl
            New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -MaxRetry 0 -ErrorVariable err503 -ErrorAction SilentlyContinue
        } finally {
            $throttled, $failing | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
        $err429[0].FullyQualifiedErrorId | Should -BeLike 'NacThrottled,*'
        $err429[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $err503[0].FullyQualifiedErrorId | Should -BeLike 'NacServiceError,*'
        $err503[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
    }

    It 'extending a session that has ended is a conflict that says why' {
        # (A session still REQUESTED is waited for and then extended: Sessions.Tests.ps1.)
        $quick = Start-NacSimulator -AvailableDelayMs 0
        try {
            $session = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 1 -ServiceIpv4 233.252.0.2
            (Wait-SessionStatus $session.SessionId -Status UNAVAILABLE).Status | Should -Be 'UNAVAILABLE'
            $session | Update-NacQodSession -ExtendBy 10 -ErrorVariable err -ErrorAction SilentlyContinue
        } finally {
            $quick | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NacConflict,*'
        $err[0].Exception.Message | Should -Match 'SESSION_EXTENSION_NOT_ALLOWED'
        $err[0].TargetObject.SessionId | Should -Be $session.SessionId
    }
}

Describe 'Bulk work runs concurrently, bounded, with errors per item' {
    It 'piped New- and Remove-NacQodSession count their items in a progress bar that completes; a single call shows none' {
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Connect-Nac -Token simulator-key -BaseUrl '$($Sim.BaseUrl)'; " +
            "`$s = `$input | New-NacQodSession -Profile QOS_S -Duration 60 -ServiceIpv4 233.252.0.2 -ThrottleLimit 3; `$s | Remove-NacQodSession -Confirm:`$false; `$s.Count")
        $pipeInput = [System.Management.Automation.PSDataCollection[object]]::new()
        foreach ($i in 1..6) { $pipeInput.Add((New-TestDevice)) }
        $pipeInput.Complete()
        $output = $ps.Invoke($pipeInput)
        $ps.Streams.Error | Should -BeNullOrEmpty
        $output | Should -Be 6
        $progress = @($ps.Streams.Progress)
        $ps.Dispose()
        foreach ($bar in @(@{ Activity = 'Creating QoD sessions'; Status = '^\d of [2-6] devices done$' }, @{ Activity = 'Removing QoD sessions'; Status = '^\d of [2-6] sessions removed or failed$' })) {
            $records = @($progress | Where-Object Activity -eq $bar.Activity)
            $records | Should -Not -BeNullOrEmpty -Because "$($bar.Activity) shows a bar for a pipeline of 6"
            # The cmdlet reuses one ProgressRecord, so every entry shows its last state: the last count, then Completed.
            $records[-1].StatusDescription | Should -Match $bar.Status
            $records[-1].RecordType | Should -Be 'Completed'
        }

        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$ModulePath'; Connect-Nac -Token simulator-key -BaseUrl '$($Sim.BaseUrl)'; " +
            "`$s = New-NacQodSession -Device (New-NacDevice -PhoneNumber '+3670" + (Get-Random -Minimum 1000000 -Maximum 9999999) + "') -Profile QOS_S -Duration 60 -ServiceIpv4 233.252.0.2; Remove-NacQodSession -SessionId `$s.SessionId -Confirm:`$false")
        $null = $ps.Invoke()
        $ps.Streams.Error | Should -BeNullOrEmpty
        $ps.Streams.Progress | Should -BeNullOrEmpty
        $ps.Dispose()
    }

    It 'Clear-NacQodSession removes many sessions with -ThrottleLimit and reports progress' {
        $slow = Start-NacSimulator -LatencyMs 50 -AvailableDelayMs 0
        try {
            $device = New-TestDevice
            $created = 1..24 | ForEach-Object { $device | New-NacQodSession -Profile QOS_S -Duration 600 -ServiceIpv4 233.252.0.2 -ServicePort (2000 + $_) }
            $created | Should -HaveCount 24
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$ModulePath'; Connect-Nac -Token simulator-key -BaseUrl '$($slow.BaseUrl)'; `$input | Clear-NacQodSession -Force -PassThru -ThrottleLimit 8")
            $pipeInput = [System.Management.Automation.PSDataCollection[object]]::new(); $pipeInput.Add($device); $pipeInput.Complete()
            $removed = $ps.Invoke($pipeInput)
            $ps.Streams.Error | Should -BeNullOrEmpty
            $removed | Should -HaveCount 24
            ($removed.SessionId | Sort-Object -Unique) | Should -HaveCount 24
            $ps.Streams.Progress.Count | Should -BeGreaterThan 0
            $ps.Dispose()
            (Get-SimulatorStats $slow).sessionsDeleted | Should -Be 24
            Get-NacQodSession -Device $device | Should -BeNullOrEmpty
        } finally {
            $slow | Stop-NacSimulator
            Connect-Nac -Token 'simulator-key' -BaseUrl $Sim.BaseUrl
        }
    }

    It 'New-NacQodSession -ThrottleLimit creates one session per piped device, with bad items failing alone' {
        Reset-Simulator $Sim
        $devices = @(1..10 | ForEach-Object { New-TestDevice }) + (New-NacDevice -PhoneNumber +99999990422)
        $sessions = $devices | New-NacQodSession -Profile QOS_M -Duration 60 -ServiceIpv4 233.252.0.2 -ThrottleLimit 4 -ErrorVariable err -ErrorAction SilentlyContinue
        $sessions | Should -HaveCount 10
        ($sessions.Device.PhoneNumber | Sort-Object) | Should -Be ($devices[0..9].PhoneNumber | Sort-Object)
        $err | Should -HaveCount 1
        $err[0].TargetObject.PhoneNumber | Should -Be '+99999990422'
        (Get-SimulatorStats $Sim).sessionsCreated | Should -Be 10
    }
}
