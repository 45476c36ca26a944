# Bad input: every rule gives an error that names the parameter and the rule, and nothing is sent.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator
    $script:Device = New-NacDevice -PhoneNumber +36721601234567
}
AfterAll {
    Stop-NacSimulator
}

Describe 'Validation before any request' {
    BeforeEach { Reset-Simulator $Sim }

    It '<Case>' -ForEach @(
        @{ Case = 'phone number without +'; Command = { New-NacDevice -PhoneNumber 36721601234567 }; Parameter = 'PhoneNumber'; Rule = "start with '\+'" }
        @{ Case = 'phone number with spaces'; Command = { New-NacDevice -PhoneNumber '+36 72 160' }; Parameter = 'PhoneNumber'; Rule = 'spaces' }
        @{ Case = 'phone number with parentheses'; Command = { New-NacDevice -PhoneNumber '+1(206)5550100' }; Parameter = 'PhoneNumber'; Rule = 'parentheses' }
        @{ Case = 'phone number too short'; Command = { New-NacDevice -PhoneNumber '+3612' }; Parameter = 'PhoneNumber'; Rule = '5 to 15 digits' }
        @{ Case = 'no identifier at all'; Command = { New-NacDevice }; Parameter = 'PhoneNumber'; Rule = 'at least one identifier' }
        @{ Case = 'IPv4 that is not dotted quad'; Command = { New-NacDevice -Ipv4PublicAddress 233.252.0 }; Parameter = 'Ipv4PublicAddress'; Rule = 'IPv4' }
        @{ Case = 'IPv4 octet over 255'; Command = { New-NacDevice -Ipv4PublicAddress 233.256.0.1 }; Parameter = 'Ipv4PublicAddress'; Rule = '0-255' }
        @{ Case = 'private address without public'; Command = { New-NacDevice -Ipv4PrivateAddress 192.0.2.25 }; Parameter = 'Ipv4PublicAddress'; Rule = 'public address' }
        @{ Case = 'public port without public address'; Command = { New-NacDevice -Ipv4PublicPort 80 }; Parameter = 'Ipv4PublicAddress'; Rule = 'public address' }
        @{ Case = 'device port out of range'; Command = { New-NacDevice -Ipv4PublicAddress 233.252.0.2 -Ipv4PublicPort 70000 }; Parameter = 'Ipv4PublicPort'; Rule = '0 to 65535' }
        @{ Case = 'IPv6 with a prefix on a device'; Command = { New-NacDevice -Ipv6Address 2001:db8::/64 }; Parameter = 'Ipv6Address'; Rule = 'without a prefix' }
        @{ Case = 'IPv6 that is not IPv6'; Command = { New-NacDevice -Ipv6Address 2001:db8::zz }; Parameter = 'Ipv6Address'; Rule = 'IPv6' }
        @{ Case = 'no service address'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 }; Parameter = 'ServiceIpv4'; Rule = 'ServiceIpv6' }
        @{ Case = 'service IPv4 mask too wide'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2/33 }; Parameter = 'ServiceIpv4'; Rule = '0 to 32' }
        @{ Case = 'service IPv6 prefix too long'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv6 2001:db8::/129 }; Parameter = 'ServiceIpv6'; Rule = '0 to 128' }
        @{ Case = 'service IPv4 junk'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 example.com }; Parameter = 'ServiceIpv4'; Rule = 'a.b.c.d' }
        @{ Case = 'duration 0'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 0 -ServiceIpv4 233.252.0.2 }; Parameter = 'Duration'; Rule = '1 to 86400' }
        @{ Case = 'duration over a day'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 86401 -ServiceIpv4 233.252.0.2 }; Parameter = 'Duration'; Rule = '1 to 86400' }
        @{ Case = 'profile too short'; Command = { $Device | New-NacQodSession -Profile Q -Duration 60 -ServiceIpv4 233.252.0.2 }; Parameter = 'Profile'; Rule = '3 to 256' }
        @{ Case = 'profile with a space'; Command = { $Device | New-NacQodSession -Profile 'QOS L' -Duration 60 -ServiceIpv4 233.252.0.2 }; Parameter = 'Profile'; Rule = 'letters, digits' }
        @{ Case = 'service port out of range'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ServicePort 65536 }; Parameter = 'ServicePort'; Rule = '0 to 65535' }
        @{ Case = 'device port negative'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -DevicePort -1 }; Parameter = 'DevicePort'; Rule = '0 to 65535' }
        @{ Case = 'reversed port range'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ServicePortRange 443-80 }; Parameter = 'ServicePortRange'; Rule = 'reversed' }
        @{ Case = 'port range junk'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -DevicePortRange 80-http }; Parameter = 'DevicePortRange'; Rule = 'port range' }
        @{ Case = 'port range bound out of range'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -DevicePortRange 80-70000 }; Parameter = 'DevicePortRange'; Rule = '0 to 65535' }
        @{ Case = 'relative notification URL'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -NotificationUrl '/notify' }; Parameter = 'NotificationUrl'; Rule = 'absolute' }
        @{ Case = 'token without notification URL'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -NotificationAuthToken 'abc' }; Parameter = 'NotificationAuthToken'; Rule = 'needs NotificationUrl' }
        @{ Case = 'extension 0'; Command = { Update-NacQodSession -SessionId ([guid]::NewGuid()) -ExtendBy 0 }; Parameter = 'ExtendBy'; Rule = '1 to 86399' }
        @{ Case = 'extension of a whole day'; Command = { Update-NacQodSession -SessionId ([guid]::NewGuid()) -ExtendBy 86400 }; Parameter = 'ExtendBy'; Rule = '1 to 86399' }
        @{ Case = 'session id with a slash'; Command = { Get-NacQodSession -SessionId 'a/b' }; Parameter = 'SessionId'; Rule = 'not a session id' }
        @{ Case = 'empty session id'; Command = { Remove-NacQodSession -SessionId '' }; Parameter = 'SessionId'; Rule = 'must not be empty' }
        @{ Case = 'plain http base URL off loopback'; Command = { Connect-Nac -Token t -BaseUrl 'http://example.com' }; Parameter = 'BaseUrl'; Rule = 'https' }
        @{ Case = 'base URL not absolute'; Command = { Connect-Nac -Token t -BaseUrl 'example.com' }; Parameter = 'BaseUrl'; Rule = 'absolute' }
    ) {
        $message = $null
        $ErrorActionPreference = 'Stop'   # turns the per-item (non-terminating) errors into exceptions too
        try {
            $null = & $Command
        } catch {
            $message = $_.Exception.Message
        }
        $message | Should -Not -BeNullOrEmpty -Because 'bad input must fail'
        $message | Should -Match ([regex]::Escape($Parameter))
        $message | Should -Match $Rule
        (Get-SimulatorStats $Sim).requests | Should -Be 0 -Because 'nothing may be sent for input the module can check'
    }

    It 'a bad item in a pipeline fails alone; the others go through' {
        $rows = [pscustomobject]@{ PhoneNumber = '+36111111112' }, [pscustomobject]@{ PhoneNumber = '36-bad' }, [pscustomobject]@{ PhoneNumber = '+36111111113' }
        $devices = $rows | New-NacDevice -ErrorVariable err -ErrorAction SilentlyContinue
        $devices | Should -HaveCount 2
        $err | Should -HaveCount 1
        "$($err[0])" | Should -Match 'PhoneNumber'
    }

    It 'a lone public IPv4 address is copied to the private address, as Nokia''s SDKs do' {
        $d = New-NacDevice -Ipv4PublicAddress 233.252.0.2
        $d.Ipv4Address.PrivateAddress | Should -Be '233.252.0.2'
        (New-NacDevice -Ipv4PublicAddress 233.252.0.2 -Ipv4PublicPort 80).Ipv4Address.PrivateAddress | Should -BeNullOrEmpty
    }
}
