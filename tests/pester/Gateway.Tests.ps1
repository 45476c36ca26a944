# The RapidAPI gateway as users meet it, end to end: the built module in this pwsh against the simulator's
# gateway switches (and, for what no gateway sends on purpose, a small raw HTTP server on 127.0.0.1).
# Each answer: its ErrorId, message, RecommendedAction, whether the command stops, and that the key never shows.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    $script:Secret = 'gw-secret-key-7c41e0d9a2'

    function Get-ErrorText {
        # Everything a user or a log could see of an error record.
        param($Record)
        @(
            ($Record | Out-String -Width 400)
            $Record.Exception.ToString()
            $Record.ErrorDetails.Message
            $Record.ErrorDetails.RecommendedAction
            ($Record.TargetObject | Out-String)
        ) -join "`n"
    }

    function Assert-NoSecret {
        param([Parameter(ValueFromPipeline)] $Item)
        process { "$(if ($Item -is [System.Management.Automation.ErrorRecord]) { Get-ErrorText $Item } else { $Item | Out-String -Width 400 })" | Should -Not -Match ([regex]::Escape($Secret)) }
    }

    function Start-RawServer {
        # A raw HTTP/1.1 server on 127.0.0.1 in a runspace of its own. -Mode Answer sends -Response and closes;
        # Hang accepts and never answers; Trickle sends headers, then one byte every 500 ms.
        param([ValidateSet('Answer', 'Hang', 'Trickle')] [string] $Mode, [string] $Response = '')
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($listener, $mode, $response)
            $held = [System.Collections.Generic.List[object]]::new()
            while ($true) {
                try { $client = $listener.AcceptTcpClient() } catch { break }
                $stream = $client.GetStream()
                $buffer = [byte[]]::new(65536)
                $seen = ''
                while (-not $seen.Contains("`r`n`r`n")) {
                    $n = $stream.Read($buffer, 0, $buffer.Length)
                    if ($n -le 0) { break }
                    $seen += [Text.Encoding]::ASCII.GetString($buffer, 0, $n)
                }
                switch ($mode) {
                    'Answer' { $bytes = [Text.Encoding]::UTF8.GetBytes($response); $stream.Write($bytes, 0, $bytes.Length); $stream.Flush(); $client.Close() }
                    'Hang' { $held.Add($client) }
                    'Trickle' {
                        $head = [Text.Encoding]::ASCII.GetBytes("HTTP/1.1 200 OK`r`nContent-Type: application/json`r`nContent-Length: 100000`r`n`r`n[")
                        try {
                            $stream.Write($head, 0, $head.Length)
                            while ($true) { Start-Sleep -Milliseconds 500; $stream.Write([byte[]](32), 0, 1) }
                        } catch { $client.Close() }
                    }
                }
            }
            foreach ($c in $held) { $c.Close() }
        }).AddArgument($listener).AddArgument($Mode).AddArgument($Response)
        $null = $ps.BeginInvoke()
        [pscustomobject]@{ Url = "http://127.0.0.1:$($listener.LocalEndpoint.Port)"; Listener = $listener; PowerShell = $ps }
    }

    function Stop-RawServer {
        param($Server)
        $Server.Listener.Stop()
        $null = $Server.PowerShell.BeginStop($null, $null)
    }

    function Get-RawError {
        # One Get-NacQodSession against a raw server; returns its error record.
        param([string] $Response, [int] $TimeoutSec = 10)
        $server = Start-RawServer -Mode Answer -Response $Response
        try {
            Connect-Nac -Token $Secret -BaseUrl $server.Url
            $err = @()
            try { Get-NacQodSession -SessionId ([guid]::NewGuid()) -MaxRetry 0 -TimeoutSec $TimeoutSec -ErrorVariable err -ErrorAction SilentlyContinue } catch { $err = @($_) }
            $err | Should -HaveCount 1
            $err[0]
        } finally {
            Stop-RawServer $server
        }
    }
}

AfterAll {
    Disconnect-Nac -ErrorAction SilentlyContinue
}

Describe 'Gateway refusals name the fix' {
    It 'a wrong X-RapidAPI-Host: NacWrongRapidApiHost names the host, the setting and where the right value is' {
        $sim = Start-NacSimulator -RapidApiHost 'nac.right.example' -NoConnect
        try {
            Connect-Nac -Token $Secret -BaseUrl $sim.BaseUrl -RapidApiHost 'nac.wrong.example'
            # A refusal that stops the command may be terminating: catch it as well as collect it.
            $traceFile = Join-Path $TestDrive 'trace.txt'
            $err = @()
            try { Get-NacQodSession -SessionId ([guid]::NewGuid()) -ErrorVariable err -ErrorAction SilentlyContinue -Verbose -Debug *> $traceFile } catch { $err = @($_) }
            $trace = Get-Content -Raw $traceFile
            $trace | Should -Match '404 Not Found' -Because 'the trace was captured'
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacWrongRapidApiHost,*'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -Match 'nac\.wrong\.example'
            $err[0].Exception.Message | Should -Match "API doesn't exists"
            $err[0].Exception.Message | Should -Match 'Connect-Nac -RapidApiHost'
            $err[0].Exception.Message | Should -Match 'code snippet'
            $err[0].Exception.Message | Should -Match 'x-rapidapi-request-id: \S+'
            $err[0].Exception.Message | Should -Match 'x-correlator: [0-9a-f-]{36}'
            $err[0].Exception.StopsCommand | Should -BeTrue
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'Connect-Nac -RapidApiHost'
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'dashboard'
            (Get-SimulatorStats $sim).gateway.hostRejected | Should -Be 1
            $err | Assert-NoSecret
            $trace | Assert-NoSecret
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It 'a key that is not subscribed: NacNotSubscribed says to subscribe' {
        $sim = Start-NacSimulator -UnsubscribedKey $Secret -NoConnect
        try {
            Connect-Nac -Token $Secret -BaseUrl $sim.BaseUrl
            $err = @()
            try { Get-NacQodSession -SessionId ([guid]::NewGuid()) -ErrorVariable err -ErrorAction SilentlyContinue } catch { $err = @($_) }
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacNotSubscribed,*'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err[0].Exception.Message | Should -Match 'not subscribed'
            $err[0].Exception.Message | Should -Match 'x-rapidapi-request-id: \S+'
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'Subscribe'
            (Get-SimulatorStats $sim).gateway.notSubscribed | Should -Be 1
            $err | Assert-NoSecret
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It 'an invalid key: NacInvalidApiKey says to copy the key again' {
        $sim = Start-NacSimulator -ApiKey (ConvertTo-SecureString 'the-right-key-0011' -AsPlainText -Force) -NoConnect
        try {
            Connect-Nac -Token $Secret -BaseUrl $sim.BaseUrl
            $err = @()
            try { Get-NacQodSession -SessionId ([guid]::NewGuid()) -ErrorVariable err -ErrorAction SilentlyContinue } catch { $err = @($_) }
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacInvalidApiKey,*'
            $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err[0].Exception.Message | Should -Match 'Invalid API key'
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'Connect-Nac -Token'
            (Get-SimulatorStats $sim).gateway.invalidKey | Should -Be 1
            $err | Assert-NoSecret
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It 'a wrong host stops a bulk command with one terminating error and sends nothing more' {
        $sim = Start-NacSimulator -RapidApiHost 'nac.right.example' -NoConnect
        try {
            Connect-Nac -Token $Secret -BaseUrl $sim.BaseUrl -RapidApiHost 'nac.wrong.example'
            $devices = 1..20 | ForEach-Object { New-TestDevice }
            $caught = $null
            try { $devices | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ErrorAction SilentlyContinue } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty -Because 'the command stops with a terminating error'
            $caught.FullyQualifiedErrorId | Should -BeLike 'NacWrongRapidApiHost,*'
            (Get-SimulatorStats $sim).gateway.hostRejected | Should -BeLessOrEqual 1
            $caught | Assert-NoSecret
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It 'a 401: NacUnauthenticated says how to give the key' {
        $body = '{"status":401,"code":"UNAUTHENTICATED","message":"Request not authenticated due to missing, invalid, or expired credentials."}'
        $record = Get-RawError -Response "HTTP/1.1 401 Unauthorized`r`nContent-Type: application/json`r`nx-rapidapi-request-id: raw-401`r`nContent-Length: $($body.Length)`r`nConnection: close`r`n`r`n$body"
        $record.FullyQualifiedErrorId | Should -BeLike 'NacUnauthenticated,*'
        $record.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $record.Exception.Message | Should -Match 'UNAUTHENTICATED'
        $record.Exception.Message | Should -Match 'x-rapidapi-request-id: raw-401'
        $record.ErrorDetails.RecommendedAction | Should -Match 'Connect-Nac -Token'
        $record | Assert-NoSecret
    }

    It 'a redirect is not followed: NacRedirected quotes the Location' {
        $record = Get-RawError -Response "HTTP/1.1 302 Found`r`nLocation: https://portal.example.net/login?next=nac`r`nContent-Length: 0`r`nConnection: close`r`n`r`n"
        $record.FullyQualifiedErrorId | Should -BeLike 'NacRedirected,*'
        $record.CategoryInfo.Category | Should -Be 'ProtocolError'
        $record.Exception.Message | Should -Match ([regex]::Escape("'https://portal.example.net/login?next=nac'"))
        $record.Exception.Message | Should -Match 'not followed'
        $record.ErrorDetails.RecommendedAction | Should -Match 'Connect-Nac -BaseUrl'
        $record | Assert-NoSecret
    }

    It 'an HTML page: NacAnswerNotJson gives the status and content type' {
        $html = '<!DOCTYPE html><html><head><title>Hotel Wi-Fi sign-in</title></head><body>Please sign in</body></html>'
        $record = Get-RawError -Response "HTTP/1.1 200 OK`r`nContent-Type: text/html; charset=utf-8`r`nContent-Length: $($html.Length)`r`nConnection: close`r`n`r`n$html"
        $record.FullyQualifiedErrorId | Should -BeLike 'NacAnswerNotJson,*'
        $record.CategoryInfo.Category | Should -Be 'ProtocolError'
        $record.Exception.Message | Should -Match 'HTTP 200'
        $record.Exception.Message | Should -Match 'text/html'
        $record.Exception.Message | Should -Match 'not JSON'
        $record.Exception.Message | Should -Not -Match 'invalid start of a value'
        $record.ErrorDetails.RecommendedAction | Should -Match 'proxy'
        $record | Assert-NoSecret
    }
}

Describe 'Deadlines' {
    It 'a server that never answers fails within -TimeoutSec plus a second, saying how long and how many attempts' {
        $server = Start-RawServer -Mode Hang
        try {
            Connect-Nac -Token $Secret -BaseUrl $server.Url
            $clock = [Diagnostics.Stopwatch]::StartNew()
            Get-NacQodSession -SessionId ([guid]::NewGuid()) -TimeoutSec 3 -ErrorVariable err -ErrorAction SilentlyContinue
            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4 -Because '-TimeoutSec bounds the whole operation, retries included'
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacTimeout,*'
            $err[0].Exception.Message | Should -Match '\d+ attempts? in \d+\.\d s'
            $err[0].Exception.Attempts | Should -BeGreaterOrEqual 1
            $err[0].ErrorDetails.RecommendedAction | Should -Match 'TimeoutSec'
            $err | Assert-NoSecret
        } finally {
            Stop-RawServer $server
        }
    }

    It 'a create against a server that never answers also fails within -TimeoutSec plus a second' {
        $server = Start-RawServer -Mode Hang
        try {
            Connect-Nac -Token $Secret -BaseUrl $server.Url
            $clock = [Diagnostics.Stopwatch]::StartNew()
            New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -TimeoutSec 3 -ErrorVariable err -ErrorAction SilentlyContinue
            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacTimeout,*'
            $err[0].Exception.Message | Should -Match 'outcome is unknown'
        } finally {
            Stop-RawServer $server
        }
    }

    It 'a server that trickles its answer fails within -TimeoutSec plus a second' {
        $server = Start-RawServer -Mode Trickle
        try {
            Connect-Nac -Token $Secret -BaseUrl $server.Url
            $clock = [Diagnostics.Stopwatch]::StartNew()
            Get-NacQodSession -SessionId ([guid]::NewGuid()) -TimeoutSec 3 -ErrorVariable err -ErrorAction SilentlyContinue
            $clock.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 4
            $err | Should -HaveCount 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacTimeout,*'
        } finally {
            Stop-RawServer $server
        }
    }

    It 'Ctrl+C during a Retry-After wait of the pacer ends the cmdlet within a second' {
        $sim = Start-NacSimulator -RateLimit 1 -RateBurst 1 -RateLimitRetryAfterSec 20 -NoConnect
        try {
            $ps = [powershell]::Create()
            $null = $ps.AddScript("Import-Module '$ModulePath'; Connect-Nac -Token '$Secret' -BaseUrl '$($sim.BaseUrl)'; 1..3 | ForEach-Object { Get-NacQodSession -SessionId ([guid]::NewGuid()) -TimeoutSec 60 -ErrorAction SilentlyContinue }")
            $null = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ((Get-SimulatorStats $sim).gateway.rateLimited -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            (Get-SimulatorStats $sim).gateway.rateLimited | Should -BeGreaterOrEqual 1 -Because 'the cmdlet must be waiting out the 20 s Retry-After'
            Start-Sleep -Milliseconds 300
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $clock.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 1
            $ps.Dispose()
        } finally {
            $sim | Stop-NacSimulator
        }
    }
}

Describe 'Rate limits cost time, never items' {
    It '300 devices through a 40 requests/s limit (burst 10) at -ThrottleLimit 16: 300 distinct sessions, no error, then all removed' {
        $sim = Start-NacSimulator -RateLimit 40 -RateBurst 10 -AvailableDelayMs 0 -NoConnect
        try {
            Connect-Nac -Token $Secret -BaseUrl $sim.BaseUrl
            $devices = 1..300 | ForEach-Object { New-NacDevice -PhoneNumber ('+3631{0:d7}' -f $_) }
            $sessions = $devices | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 -ThrottleLimit 16 -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -BeNullOrEmpty
            $sessions | Should -HaveCount 300
            ($sessions.SessionId | Sort-Object -Unique) | Should -HaveCount 300
            $stats = Get-SimulatorStats $sim
            $stats.sessionsCreated | Should -Be 300 -Because 'no create was duplicated'
            $stats.gateway.rateLimited | Should -BeGreaterThan 0 -Because 'the limit must really have been hit'

            $sessions | Remove-NacQodSession -Confirm:$false -ErrorVariable removeErr -ErrorAction SilentlyContinue
            $removeErr | Should -BeNullOrEmpty
            (Get-SimulatorStats $sim).sessionsDeleted | Should -Be 300
            $err | Assert-NoSecret
        } finally {
            $sim | Stop-NacSimulator
        }
    }

    It 'with Retry-After (seconds and as an HTTP date) too: every item done, none duplicated' -ForEach @(
        @{ Switches = @{ RateLimitRetryAfterSec = 1 } }
        @{ Switches = @{ RateLimitRetryAfterSec = 1; RateLimitRetryAfterAsDate = $true } }
    ) {
        $sim = Start-NacSimulator -RateLimit 40 -RateBurst 10 -AvailableDelayMs 0 -NoConnect @Switches
        try {
            Connect-Nac -Token $Secret -BaseUrl $sim.BaseUrl
            $devices = 1..80 | ForEach-Object { New-NacDevice -PhoneNumber ('+3632{0:d7}' -f $_) }
            $sessions = $devices | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 -ThrottleLimit 16 -ErrorVariable err -ErrorAction SilentlyContinue
            $err | Should -BeNullOrEmpty
            ($sessions.SessionId | Sort-Object -Unique) | Should -HaveCount 80
            $stats = Get-SimulatorStats $sim
            $stats.sessionsCreated | Should -Be 80
            $stats.gateway.rateLimited | Should -BeGreaterThan 0
        } finally {
            $sim | Stop-NacSimulator
        }
    }
}

Describe 'A spent quota stops the command' {
    It 'quota 50: the command stops with one NacQuotaExceeded naming the quota and its reset, and nothing more is sent' {
        $sim = Start-NacSimulator -Quota 50 -AvailableDelayMs 0 -NoConnect
        try {
            # A key of its own: the module remembers a spent quota per endpoint and key for the whole process.
            Connect-Nac -Token "$Secret-quota" -BaseUrl $sim.BaseUrl
            $devices = 1..80 | ForEach-Object { New-NacDevice -PhoneNumber ('+3633{0:d7}' -f $_) }
            $caught = $null
            $sessions = $null
            try {
                $devices | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 -ThrottleLimit 4 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -OutVariable sessions | Out-Null
            } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty -Because 'a spent quota stops the command with a terminating error'
            $caught.FullyQualifiedErrorId | Should -BeLike 'NacQuotaExceeded,*'
            $caught.CategoryInfo.Category | Should -Be 'QuotaExceeded'
            $caught.Exception.Message | Should -Match 'DAILY'
            $caught.Exception.Message | Should -Match 'resets at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d .*UTC'
            $caught.Exception.ResetsAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddHours(23))
            $caught.ErrorDetails.RecommendedAction | Should -Match 'upgrade the plan'
            $caught | Assert-NoSecret
            $stats = Get-SimulatorStats $sim
            $stats.sessionsCreated | Should -Be 50
            $stats.gateway.quotaExceeded | Should -BeLessOrEqual 4 -Because 'only the requests already in flight meet the quota'

            # The next command with this key is refused at once, without a request.
            $refusedBefore = $stats.gateway.quotaExceeded
            $err = @()
            try { Get-NacQodSession -SessionId ([guid]::NewGuid()) -ErrorVariable err -ErrorAction SilentlyContinue } catch { $err = @($_) }
            $err[0].FullyQualifiedErrorId | Should -BeLike 'NacQuotaExceeded,*'
            $err[0].Exception.Message | Should -Match 'Not sent'
            (Get-SimulatorStats $sim).gateway.quotaExceeded | Should -Be $refusedBefore
        } finally {
            $sim | Stop-NacSimulator
        }
    }
}
