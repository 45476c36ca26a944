# Defects a new user met (issue 12): jobs that prompt, culture, credentials in URLs, local validation, output.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator
    $script:Device = New-NacDevice -PhoneNumber +36721601234567

    function Invoke-PromptingJob {
        # Runs a script with pwsh -File (no -NonInteractive), its standard input an open pipe that never sends
        # (a CI runner, ssh), a pipe at end of file, or /dev/null (cron). Kills the child if it has not ended in
        # $TimeoutSec: a hang is a failure, not a stuck test run.
        param([string] $Script, [ValidateSet('OpenPipe', 'EndOfFile', 'DevNull')] [string] $Stdin, [int] $TimeoutSec = 90)
        $file = Join-Path $TestDrive ("prompt-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
        Set-Content -Path $file -Value ("Import-Module '$ModulePath'`n" + $Script)
        $command = @($Pwsh) + @($PwshArgs) + @('-NoProfile', '-File', $file)
        # </dev/null as a shell gives it: the child's standard input is the null device, not a pipe.
        if ($Stdin -eq 'DevNull') { $command = @('/bin/sh', '-c', 'exec "$0" "$@" </dev/null') + $command }
        $start = [System.Diagnostics.ProcessStartInfo]::new($command[0])
        foreach ($a in $command | Select-Object -Skip 1) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.WorkingDirectory = $TestDrive
        $start.Environment['NAC_TOKEN'] = 'k'
        $start.Environment['NAC_BASE_URL'] = "$($Sim.BaseUrl)"
        $process = [System.Diagnostics.Process]::Start($start)
        try {
            if ($Stdin -eq 'EndOfFile') { $process.StandardInput.Close() }
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEndAsync()
            $ended = $process.WaitForExit($TimeoutSec * 1000)
            if (-not $ended) { $process.Kill($true) }
            $process.WaitForExit()
            [pscustomobject]@{ Ended = $ended; ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr.Result }
        } finally {
            $process.Dispose()
        }
    }
}
AfterAll {
    Stop-NacSimulator
}

Describe 'A confirmation nobody can answer' {
    BeforeEach { Reset-Simulator $Sim }

    It 'Clear-NacQodSession without -Force fails at once with NacConfirmationRequired when standard input is <Stdin>' -ForEach @(
        @{ Stdin = 'OpenPipe' }
        @{ Stdin = 'EndOfFile' }
        if (-not $IsWindows) { @{ Stdin = 'DevNull' } }
    ) {
        $job = Invoke-PromptingJob -Stdin $Stdin -Script @'
$d = New-NacDevice -PhoneNumber +36555000112
$d | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 | Out-Null
try { $d | Clear-NacQodSession; 'cleared' } catch { "ErrorId=$($_.FullyQualifiedErrorId) $($_.Exception.Message)"; exit 3 }
'@
        $job.Ended | Should -BeTrue -Because 'a prompt nobody can answer must not hang the job'
        $job.ExitCode | Should -Be 3
        $job.Output | Should -Match 'ErrorId=NacConfirmationRequired,'
        $job.Output | Should -Match '-Force'
        $job.Output | Should -Not -Match 'NullReferenceException'
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 0
    }

    It 'does not stop a command that needs no confirmation (-Force) when standard input is redirected' {
        $job = Invoke-PromptingJob -Stdin EndOfFile -Script @'
$d = New-NacDevice -PhoneNumber +36555000113
$d | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 | Out-Null
$d | Clear-NacQodSession -Force
'done'
'@
        $job.Ended | Should -BeTrue
        $job.ExitCode | Should -Be 0
        $job.Output | Should -Match 'done'
        (Get-SimulatorStats $Sim).sessionsDeleted | Should -Be 1
    }
}

Describe 'Name matching under the tr-TR culture' {
    BeforeAll {
        $script:SavedCulture = [cultureinfo]::CurrentCulture
        [cultureinfo]::CurrentCulture = 'tr-TR'
    }
    AfterAll { [cultureinfo]::CurrentCulture = $SavedCulture }

    It 'Get-NacQosProfile <Pattern> finds the same profiles as under en-US' -ForEach @(
        @{ Pattern = 'downlink_l*' }
        @{ Pattern = '*uplink_l' }
        @{ Pattern = 'DOWNLINK_L*' }
        @{ Pattern = 'qos_?' }
    ) {
        [cultureinfo]::CurrentCulture = 'tr-TR'
        $turkish = @(Get-NacQosProfile $Pattern -Offline).Name
        [cultureinfo]::CurrentCulture = 'en-US'
        $english = @(Get-NacQosProfile $Pattern -Offline).Name
        [cultureinfo]::CurrentCulture = 'tr-TR'
        $english | Should -Not -BeNullOrEmpty
        $turkish | Should -Be $english
    }

    It 'Get-NacQosProfile downlink_l* returns 3 profiles' {
        [cultureinfo]::CurrentCulture = 'tr-TR'
        @(Get-NacQosProfile downlink_l* -Offline) | Should -HaveCount 3
        @(Get-NacQosProfile *uplink_l -Offline) | Should -HaveCount 3
    }

    It 'Connect-Nac -Environment takes a name in any case' {
        [cultureinfo]::CurrentCulture = 'tr-TR'
        (Connect-Nac -Token t -Environment STAGING -PassThru).Environment | Should -Be 'Staging'
        (Connect-Nac -Token t -Environment dev -PassThru).Environment | Should -Be 'Dev'
        Connect-Nac -Token t -BaseUrl $Sim.BaseUrl
    }

    It 'the profile completer offers QOS_ profiles for a lower-case prefix with an i' {
        [cultureinfo]::CurrentCulture = 'tr-TR'
        $line = 'New-NacQodSession -Profile downlink_'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'DOWNLINK_L_UPLINK_L'
    }
}

Describe 'Credentials in a base URL' {
    AfterEach { Connect-Nac -Token t -BaseUrl $Sim.BaseUrl; $env:NAC_BASE_URL = $null }

    It 'Connect-Nac -BaseUrl with user:password@ is refused without echoing the password' {
        $err = $null
        # Built, so that the error's display of this line (the caller's own text) does not hold the password either.
        $url = 'https://admin:' + 'S3cret' + 'Pass@example.com/'
        try { Connect-Nac -Token t -BaseUrl $url } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'NacInvalidArgument,*'
        $err.Exception.Message | Should -Match 'BaseUrl'
        $err.Exception.Message | Should -Match 'user name or password'
        ($err | Out-String) + "$($err.TargetObject)" + $err.ErrorDetails | Should -Not -Match 'S3cretPass'
    }

    It 'NAC_BASE_URL with credentials is refused and Get-NacContext never shows them' {
        Disconnect-Nac
        $env:NAC_BASE_URL = 'http://user:S3cretPass@127.0.0.1:1/'
        $context = Get-NacContext
        $context.BaseUrl | Should -BeNullOrEmpty
        $context.Error | Should -Match 'NAC_BASE_URL'
        $context.Error | Should -Match 'user name or password'
        ($context | Format-List * | Out-String) | Should -Not -Match 'S3cretPass'
    }
}

Describe 'Input the module checks locally' {
    BeforeEach { Reset-Simulator $Sim }

    It '<Case>: <ErrorId>, naming <Parameter>, nothing sent' -ForEach @(
        @{ Case = 'notification URL plain http off loopback'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -NotificationUrl 'http://example.com/notify' }
            ErrorId = 'ParameterArgumentValidationError'; Parameter = 'NotificationUrl'; Rule = 'use https' }
        @{ Case = 'notification token expiry in the past'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -NotificationUrl 'https://example.com/notify' -NotificationAuthToken 'abc' -NotificationAuthTokenExpiresAt ([DateTimeOffset]::UtcNow.AddMinutes(-5)) }
            ErrorId = 'ParameterArgumentValidationError'; Parameter = 'NotificationAuthTokenExpiresAt'; Rule = 'in the past' }
        @{ Case = 'reversed service port range'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ServicePortRange 443-80 }
            ErrorId = 'ParameterArgumentTransformationError'; Parameter = 'ServicePortRange'; Rule = 'reversed' }
        @{ Case = 'service port range without its end'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ServicePortRange 80- }
            ErrorId = 'ParameterArgumentTransformationError'; Parameter = 'ServicePortRange'; Rule = 'not a port range' }
        @{ Case = 'device port range beyond 65535'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -DevicePortRange 0-70000 }
            ErrorId = 'ParameterArgumentTransformationError'; Parameter = 'DevicePortRange'; Rule = '0 to 65535' }
        @{ Case = 'one bad range among good ones'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -DevicePortRange 80-90, 100-99 }
            ErrorId = 'ParameterArgumentTransformationError'; Parameter = 'DevicePortRange'; Rule = 'reversed' }
        @{ Case = 'reversed service port range of Invoke-NacQodSession'; Command = { Invoke-NacQodSession -Device $Device -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ServicePortRange 443-80 { 'never runs' } }
            ErrorId = 'ParameterArgumentTransformationError'; Parameter = 'ServicePortRange'; Rule = 'reversed' }
        @{ Case = 'unknown environment'; Command = { Connect-Nac -Token t -Environment Foo }
            ErrorId = 'ParameterArgumentTransformationError'; Parameter = 'Environment'; Rule = 'Prod, Staging, Dev' }
    ) {
        $caught = $null
        try { $null = & $Command } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty -Because 'bad input must fail'
        $caught.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $caught.Exception.Message | Should -Match ([regex]::Escape($Parameter))
        $caught.Exception.Message | Should -Match $Rule
        (Get-SimulatorStats $Sim).requests | Should -Be 0 -Because 'nothing may be sent for input the module can check'
    }

    It 'good values of the same parameters still bind: <Case>' -ForEach @(
        @{ Case = 'ranges and a loopback http sink'; Command = { $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ServicePortRange 80-443, 8080 -DevicePortRange '1000-2000' -NotificationUrl 'http://127.0.0.1:9/notify' -NotificationAuthToken 'abc' -NotificationAuthTokenExpiresAt ([DateTimeOffset]::UtcNow.AddHours(1)) } }
    ) {
        $session = & $Command
        $session.SessionId | Should -Not -BeNullOrEmpty
        $session | Remove-NacQodSession -Confirm:$false
    }
}

Describe 'Output' {
    BeforeEach { Reset-Simulator $Sim }

    It 'the default device table fits 80 columns and shows every identifier whole' {
        $devices = @(
            New-NacDevice -PhoneNumber +36721601234567
            New-NacDevice -Ipv6Address 2001:db8:85a3:8d3:1319:8a2e:370:7348
            New-NacDevice -NetworkAccessIdentifier device@testcsp.net -Ipv4PublicAddress 203.0.113.10 -Ipv4PublicPort 59765
            New-NacDevice -PhoneNumber +3672160123 -Ipv4PublicAddress 233.252.0.2 -Ipv6Address 2001:db8::1
        )
        $lines = ($devices | Out-String -Width 80) -split "`r?`n"
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
        $text = $lines -join "`n"
        foreach ($value in '+36721601234567', '2001:db8:85a3:8d3:1319:8a2e:370:7348', 'device@testcsp.net', '203.0.113.10:59765', '233.252.0.2', '2001:db8::1') {
            $text | Should -Match ([regex]::Escape($value))
        }
        $text | Should -Not -Match '…'
    }

    It 'a session printed after another type is compact: SessionId once, no Id' {
        $session = $Device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2
        $text = @($Device, $session) | Out-String -Width 120
        ([regex]::Matches($text, [regex]::Escape($session.SessionId))).Count | Should -Be 1
        $text | Should -Not -Match '(?m)^Id\s+:'
        $text | Should -Match '(?m)^SessionId\s+:'
        ($text -split "`r?`n" | Where-Object { $_ -match '^\w+\s+:' }).Count | Should -BeLessOrEqual 6
        $session | Remove-NacQodSession -Confirm:$false
    }

    It 'Get-Help <Command> -Examples shows the masked token text' -ForEach @(
        @{ Command = 'Connect-Nac' }
        @{ Command = 'Get-NacContext' }
    ) {
        $help = Get-Help $Command -Examples | Out-String -Width 200
        $help | Should -Match ([regex]::Escape('********'))
    }
}
