# The session life cycle as the module sees it on the simulator: expiry, network termination, and
# notifications received by a real listener on 127.0.0.1 with the bearer token.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -AvailableDelayMs 100

    # A notification sink: an HttpListener on a free loopback port, answering 204 and keeping what it got.
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
    $script:SinkUrl = "http://127.0.0.1:$port/notify/"
    $script:Listener = [System.Net.HttpListener]::new()
    $Listener.Prefixes.Add($SinkUrl)
    $Listener.Start()

    function Receive-Notification {
        # Waits for one notification, at most $TimeoutSec; returns its headers and parsed body.
        param([int] $TimeoutSec = 15)
        $pending = $Listener.GetContextAsync()
        if (-not $pending.Wait([TimeSpan]::FromSeconds($TimeoutSec))) { throw "No notification within $TimeoutSec s." }
        $context = $pending.Result
        $reader = [System.IO.StreamReader]::new($context.Request.InputStream)
        $body = $reader.ReadToEnd()
        $result = [pscustomobject]@{
            Authorization = $context.Request.Headers['Authorization']
            ContentType   = $context.Request.ContentType
            Event         = $body | ConvertFrom-Json
        }
        $context.Response.StatusCode = 204
        $context.Response.Close()
        $result
    }
}
AfterAll {
    $Listener.Stop()
    Stop-NacSimulator
}

Describe 'Session life cycle' {
    It 'a session expires: UNAVAILABLE with DURATION_EXPIRED' {
        $session = New-TestDevice | New-NacQodSession -Profile QOS_E -Duration 1 -ServiceIpv4 233.252.0.2
        $ended = Wait-SessionStatus $session.SessionId -Status UNAVAILABLE
        $ended.Status | Should -Be 'UNAVAILABLE'
        $ended.StatusInfo | Should -Be 'DURATION_EXPIRED'
        $ended.ExpiresAt | Should -BeOfType ([DateTimeOffset])
    }

    It 'the network terminates a session of the simulator''s +99999990500' {
        $session = New-NacDevice -PhoneNumber +99999990500 | New-NacQodSession -Profile QOS_E -Duration 600 -ServiceIpv4 233.252.0.2
        $ended = Wait-SessionStatus $session.SessionId -Status UNAVAILABLE -TimeoutSec 20
        $ended.StatusInfo | Should -Be 'NETWORK_TERMINATED'
    }

    It 'notifications reach the sink with the bearer token: AVAILABLE, then DELETE_REQUESTED' {
        $token = 'sink-' + [guid]::NewGuid().ToString('N')
        $session = New-TestDevice | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2 `
            -NotificationUrl $SinkUrl -NotificationAuthToken $token
        $session.NotificationUrl | Should -Be $SinkUrl

        $available = Receive-Notification
        $available.Authorization | Should -Be "Bearer $token"
        $available.ContentType | Should -BeLike 'application/cloudevents+json*'
        $available.Event.type | Should -Be 'org.camaraproject.quality-on-demand.v1.qos-status-changed'
        $available.Event.specversion | Should -Be '1.0'
        $available.Event.data.sessionId | Should -Be $session.SessionId
        $available.Event.data.qosStatus | Should -Be 'AVAILABLE'

        Wait-SessionStatus $session.SessionId | Out-Null
        $session | Remove-NacQodSession
        $deleted = Receive-Notification
        $deleted.Event.data.qosStatus | Should -Be 'UNAVAILABLE'
        $deleted.Event.data.statusInfo | Should -Be 'DELETE_REQUESTED'
        $deleted.Event.id | Should -Not -Be $available.Event.id
    }
}
