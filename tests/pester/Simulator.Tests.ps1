# Start-NacSimulator as a process: the key stays off the command line, the simulator survives Ctrl+C in the
# shell but not the shell's exit, a port in use fails at once in one line, and the gateway parameters reach
# the simulator. Real pwsh, real simulator, loopback only. Linux: reads /proc and uses setsid/kill.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:RapidHost = 'network-as-code.nokia.rapidapi.com'

    function Invoke-Raw {
        # One request to the simulator outside the module, so the gateway's own answer can be read.
        param([Parameter(Mandatory)] $Simulator, [string] $Path = '/qos-profiles/v1/qos-profiles/QOS_E', [string] $Key = 'raw-key', [string] $RapidApiHost = $script:RapidHost)
        $headers = @{ 'X-RapidAPI-Key' = $Key }
        if ($RapidApiHost) { $headers['X-RapidAPI-Host'] = $RapidApiHost }
        Invoke-WebRequest -Uri ([Uri]::new($Simulator.BaseUrl, $Path)) -Headers $headers -SkipHttpErrorCheck
    }

    function Get-SessionId {
        # The session id of a process (field 6 of /proc/<pid>/stat, after the command name in parentheses).
        param([int] $ProcessId)
        $stat = [IO.File]::ReadAllText("/proc/$ProcessId/stat")
        [int] ($stat.Substring($stat.LastIndexOf(')') + 2).Split(' ')[3])
    }

    function Wait-Until {
        param([scriptblock] $Condition, [int] $TimeoutSec = 15)
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while (-not (& $Condition) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        & $Condition
    }
}

Describe 'Start-NacSimulator -ApiKey' {
    It 'passes the key in the environment, not on the command line, and the key works' {
        $sim = Start-NacSimulator -ApiKey 'sekrit-key-4711' -UnsubscribedKey 'lapsed-key-0815'
        try {
            $cmdline = [IO.File]::ReadAllText("/proc/$($sim.ProcessId)/cmdline") -replace "`0", ' '
            $cmdline | Should -Match 'NetworkAsCode\.Simulator\.dll'
            $cmdline | Should -Not -Match 'sekrit-key-4711'
            $cmdline | Should -Not -Match 'lapsed-key-0815'
            (Get-NacQosProfile -Name QOS_E).Name | Should -Be 'QOS_E'
            (Invoke-Raw -Simulator $sim -Key 'lapsed-key-0815').StatusCode | Should -Be 403
            $wrong = Invoke-Raw -Simulator $sim -Key 'another-key'
            $wrong.StatusCode | Should -Be 403
            $wrong.Content | Should -Be '{"message":"Invalid API key. Go to https://docs.rapidapi.com/docs/keys for more info."}'
        } finally { $sim | Stop-NacSimulator }
    }

    It 'does not hand a NAC_SIMULATOR_API_KEY of this shell to a simulator started without -ApiKey' {
        $saved = $env:NAC_SIMULATOR_API_KEY
        $env:NAC_SIMULATOR_API_KEY = 'stray-key'
        try {
            $sim = Start-NacSimulator
            (Get-NacQosProfile -Name QOS_E).Name | Should -Be 'QOS_E'
            (Invoke-Raw -Simulator $sim -Key 'any-key').StatusCode | Should -Be 200
        } finally {
            $env:NAC_SIMULATOR_API_KEY = $saved
            if ($sim) { $sim | Stop-NacSimulator }
        }
    }
}

Describe 'Start-NacSimulator and the shell' {
    It 'runs the simulator in a session of its own' {
        $sim = Start-NacSimulator -NoConnect
        try {
            Get-SessionId $sim.ProcessId | Should -Not -Be (Get-SessionId $PID)
            Get-SessionId $sim.ProcessId | Should -Be $sim.ProcessId
        } finally { $sim | Stop-NacSimulator }
    }

    It 'keeps the simulator through Ctrl+C in the shell (SIGINT to its process group) and stops it when the shell exits' {
        # A shell in its own process group, as a terminal's foreground job is; -NoExit keeps it reading commands.
        # env --default-signal=INT: a shell started in the background of a script inherits SIGINT ignored, and so
        # would the simulator; this shell takes SIGINT as an interactive one does.
        $script = "Import-Module '$ModulePath'; `$s = Start-NacSimulator -NoConnect; 'PID=' + `$s.ProcessId; 'URL=' + `$s.BaseUrl"
        $info = [Diagnostics.ProcessStartInfo]::new('env')
        foreach ($a in @('--default-signal=INT', 'setsid', $Pwsh) + @($PwshArgs) + @('-NoProfile', '-NoExit', '-Command', $script)) { $info.ArgumentList.Add($a) }
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.UseShellExecute = $false
        $shell = [Diagnostics.Process]::Start($info)
        function Read-ShellLine {
            $task = $shell.StandardOutput.ReadLineAsync()
            if (-not $task.Wait(30000)) { throw 'the shell wrote nothing for 30 s' }
            $task.Result
        }
        try {
            $simPid = $null; $url = $null
            while (-not $url) {
                $line = Read-ShellLine
                if ($null -eq $line) { break }
                if ($line -match '^PID=(\d+)') { $simPid = [int] $Matches[1] }
                if ($line -match '^URL=(\S+)') { $url = $Matches[1] }
            }
            $simPid | Should -Not -BeNullOrEmpty
            # SigIgn is a hex mask, bit (signal - 1): SIGINT is 0x2. An ignored SIGINT would make this test prove nothing.
            $ignored = [Convert]::ToUInt64(((Get-Content "/proc/$simPid/status") -match '^SigIgn:' -replace '^SigIgn:\s*', ''), 16)
            $ignored -band 2 | Should -Be 0 -Because 'the simulator must take SIGINT like any program, for this test to mean something'
            # setsid made the shell a process-group leader: its group id is its pid. Ctrl+C sends SIGINT to the group.
            & /bin/kill -INT -- "-$($shell.Id)"
            $shell.StandardInput.WriteLine("'ALIVE'")
            Read-ShellLine | Should -Match 'ALIVE' -Because 'the shell itself survives Ctrl+C'
            Start-Sleep -Seconds 2  # a simulator that took the SIGINT would be gone by now
            Get-Process -Id $simPid -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because 'Ctrl+C in the shell must not stop the simulator'
            (Invoke-RestMethod -Uri ([Uri]::new([Uri] $url, '/_simulator/stats'))).requests | Should -Be 0

            $shell.StandardInput.WriteLine('exit')
            $shell.WaitForExit(20000) | Should -BeTrue
            Wait-Until { -not (Get-Process -Id $simPid -ErrorAction SilentlyContinue) } | Should -BeTrue -Because 'the simulator stops when its shell exits'
        } finally {
            if (-not $shell.HasExited) { $shell.Kill($true) }
            if ($simPid) { Stop-Process -Id $simPid -ErrorAction SilentlyContinue }
        }
    }
}

Describe 'Start-NacSimulator -Port' {
    It 'fails at once with one line saying the port is in use' {
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            $err = $null
            try { Start-NacSimulator -Port $port -NoConnect -ErrorAction Stop | Stop-NacSimulator } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'NacSimulatorStartFailed,*'
            $err.Exception.Message | Should -Be "The simulator could not start: port $port on 127.0.0.1 is in use (another program listens there): choose another port, or 0 for a free one."
        } finally { $listener.Stop() }
    }
}

Describe 'Start-NacSimulator gateway parameters' {
    It 'starts the gateway the parameters describe and connects with -RapidApiHost' {
        $sim = Start-NacSimulator -RapidApiHost $RapidHost -UnsubscribedKey 'lapsed', 'trial' -Quota 10 -QuotaPeriodSec 600 `
            -RateLimit 0.01 -RateBurst 3 -RateLimitRetryAfterSec 2 -RateLimitRetryAfterAsDate
        try {
            (Get-NacQosProfile -Name QOS_E).Name | Should -Be 'QOS_E' -Because 'the runspace is connected with the required host'

            $answers = 1..4 | ForEach-Object { Invoke-Raw -Simulator $sim }
            @($answers | ForEach-Object StatusCode) | Should -Be @(200, 200, 200, 429)
            @($answers | ForEach-Object { "$($_.Headers['x-ratelimit-requests-limit'])" }) | Should -Be @('10', '10', '10', '10')
            @($answers | ForEach-Object { "$($_.Headers['x-ratelimit-requests-remaining'])" }) | Should -Be @('9', '8', '7', '7')
            $answers[3].Content | Should -Be '{"message":"Too many requests"}'
            [DateTimeOffset]::Parse("$($answers[3].Headers['Retry-After'])", [Globalization.CultureInfo]::InvariantCulture) |
                Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddSeconds(-5))

            $wrongHost = Invoke-Raw -Simulator $sim -RapidApiHost 'wrong.example'
            $wrongHost.StatusCode | Should -Be 404
            $wrongHost.Content | Should -Be '{"message":"API doesn''t exists"}'
            "$($wrongHost.Headers['x-rapidapi-request-id'])" | Should -Not -BeNullOrEmpty
            $lapsed = Invoke-Raw -Simulator $sim -Key 'trial'
            $lapsed.StatusCode | Should -Be 403
            $lapsed.Content | Should -Be '{"message":"You are not subscribed to this API."}'

            $stats = Get-SimulatorStats -Simulator $sim
            $stats.gateway.hostRejected | Should -Be 1
            $stats.gateway.notSubscribed | Should -Be 1
            $stats.gateway.rateLimited | Should -Be 1
            $stats.options | Should -Match 'quota=10/600s'
        } finally { $sim | Stop-NacSimulator }
    }

    It 'answers the quota 429 once the quota is spent' {
        $sim = Start-NacSimulator -Quota 2 -NoConnect
        try {
            $answers = 1..3 | ForEach-Object { Invoke-Raw -Simulator $sim }
            @($answers | ForEach-Object StatusCode) | Should -Be @(200, 200, 429)
            $answers[2].Content | Should -Match '^\{"message":"You have exceeded the DAILY quota for Requests on your current plan, BASIC\.'
            $answers[2].Headers.ContainsKey('Retry-After') | Should -BeFalse
        } finally { $sim | Stop-NacSimulator }
    }

    It 'refuses <Parameters> before starting anything' -ForEach @(
        @{ Parameters = '-RateBurst 5'; Splat = @{ RateBurst = 5 }; Name = 'RateBurst' }
        @{ Parameters = '-RateLimitRetryAfterSec 1'; Splat = @{ RateLimitRetryAfterSec = 1 }; Name = 'RateLimitRetryAfterSec' }
        @{ Parameters = '-RateLimit 5 -RateLimitRetryAfterAsDate'; Splat = @{ RateLimit = 5; RateLimitRetryAfterAsDate = $true }; Name = 'RateLimitRetryAfterAsDate' }
    ) {
        $err = $null
        try { Start-NacSimulator @Splat -NoConnect -ErrorAction Stop | Stop-NacSimulator } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'NacInvalidArgument,*'
        $err.Exception.Message | Should -Match "^-$Name needs -RateLimit"
    }
}
