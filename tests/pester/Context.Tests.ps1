# Configuration and secrets: where the token comes from, and that it never shows.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -NoConnect
    $script:Secret = 'tok-' + [guid]::NewGuid().ToString('N')
}
AfterAll {
    Stop-NacSimulator
    Remove-Item env:NAC_TOKEN, env:NAC_BASE_URL, env:NAC_ENV -ErrorAction Ignore
}

Describe 'Connection settings' {
    AfterEach {
        Disconnect-Nac
        Remove-Item env:NAC_TOKEN, env:NAC_BASE_URL, env:NAC_ENV -ErrorAction Ignore
    }

    It 'uses NAC_TOKEN and NAC_BASE_URL when nothing is connected' {
        $env:NAC_TOKEN = $Secret
        $env:NAC_BASE_URL = $Sim.BaseUrl.ToString()
        $session = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2
        $session.SessionId | Should -Not -BeNullOrEmpty
        (Get-NacContext).TokenSource | Should -Be 'NAC_TOKEN'
    }

    It 'the runspace context beats the environment' {
        $env:NAC_BASE_URL = 'http://127.0.0.1:9'
        Connect-Nac -Token $Secret -BaseUrl $Sim.BaseUrl
        (Get-NacContext).BaseUrl | Should -Be $Sim.BaseUrl
        (Get-NacContext).TokenSource | Should -Be 'Connect-Nac'
        New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 | Should -Not -BeNullOrEmpty
    }

    It 'fails with NacTokenMissing, saying what to do, when there is no token' {
        { Get-NacQodSession -SessionId ([guid]::NewGuid()) } | Should -Throw -ErrorId 'NacTokenMissing,*'
        { Connect-Nac } | Should -Throw '*NAC_TOKEN*'
    }

    It 'rejects an unknown NAC_ENV by name' {
        $env:NAC_TOKEN = $Secret
        $env:NAC_ENV = 'moon'
        { Get-NacQodSession -SessionId ([guid]::NewGuid()) } | Should -Throw '*NAC_ENV*moon*'
    }

    It 'chooses base URL and host by environment' {
        Connect-Nac -Token $Secret -Environment Dev
        $context = Get-NacContext
        $context.BaseUrl | Should -Be 'https://network-as-code1.p-eu.rapidapi.com/'
        $context.RapidApiHost | Should -Be 'network-as-code1.nokia-dev.rapidapi.com'
        Connect-Nac -Token $Secret -Environment Staging
        (Get-NacContext).RapidApiHost | Should -Be 'network-as-code.nokia-stage.rapidapi.com'
    }

    It 'Connect-Nac -PassThru returns the context with the token masked' {
        $context = Connect-Nac -Token $Secret -BaseUrl $Sim.BaseUrl -PassThru
        $context.Token | Should -Be '********'
        ($context | Format-List * | Out-String) | Should -Not -Match $Secret
    }
}

Describe 'The token never shows' {
    It 'is absent from output, verbose, debug, warnings and errors of a whole session life' {
        Connect-Nac -Token $Secret -BaseUrl $Sim.BaseUrl
        $notify = 'ntok-' + [guid]::NewGuid().ToString('N')
        $DebugPreference = 'Continue'
        $everything = & {
            $d = New-TestDevice
            $s = $d | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -NotificationUrl 'http://127.0.0.1:9/notify' -NotificationAuthToken $notify -Verbose
            $s | Format-List * | Out-String
            $s | Get-NacQodSession -Verbose
            Get-NacQodSession -SessionId ([guid]::NewGuid()) -Verbose -ErrorAction Continue
            $s | Remove-NacQodSession -Verbose
            Get-NacContext | Format-List * | Out-String
        } *>&1 | Out-String
        $DebugPreference = 'SilentlyContinue'
        $everything | Should -Match 'POST http://127\.0\.0\.1' -Because 'the trace must be there to be checked'
        $everything | Should -Not -Match $Secret
        $everything | Should -Not -Match $notify
        ($Error | Out-String) | Should -Not -Match $Secret
    }
}
