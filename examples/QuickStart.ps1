<#
.SYNOPSIS
    The Network as Code "QoD sessions" walkthrough in PowerShell.
.DESCRIPTION
    Creates a device, asks for prioritised connectivity (a QoD session) with an IPv4 and IPv6
    application server, reads its duration and times, extends it, creates a second session with
    port ranges and port lists, lists the device's sessions, gets one by id, deletes one and clears
    the rest.

    It uses whatever connection is current: run Start-NacSimulator (or Connect-Nac -Token ...) first.
    build.ps1 Demo does all of that for you against the bundled simulator.
#>
[CmdletBinding()]
param()
$ErrorActionPreference = 'Stop'

function Wait-Available([NetworkAsCode.QodSession] $Session) {
    # A new session is REQUESTED until the network has set it up; poll briefly until it is AVAILABLE.
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ($Session.Status -eq 'REQUESTED' -and [DateTime]::UtcNow -lt $deadline) {
        Start-Sleep -Milliseconds 250
        $Session = Get-NacQodSession -SessionId $Session.SessionId
    }
    $Session
}

Write-Host '1. A device, identified by its phone number and its IPv4 and IPv6 addresses'
$device = New-NacDevice -PhoneNumber +36721601234567 `
    -Ipv4PublicAddress 233.252.0.2 -Ipv4PrivateAddress 192.0.2.25 -Ipv4PublicPort 80 `
    -Ipv6Address 2001:db8:1234:5678:9abc:def0:fedc:ba98
$device | Format-Table | Out-String -Width 160 | Write-Host   # wide, so the table reads well in a narrow console or a log

Write-Host '2. A QoD session for one hour towards an IPv4 and IPv6 application server'
$session = $device | New-NacQodSession -Profile DOWNLINK_L_UPLINK_L -Duration 3600 `
    -ServiceIpv4 233.252.0.2 -ServiceIpv6 2001:db8:1234:5678:9abc:def0:fedc:ba98
Write-Host "   created $($session.SessionId), status $($session.Status)"

Write-Host '3. Its duration and times (timezone-aware, shown in local time)'
$session = Wait-Available $session
Write-Host "   status $($session.Status), duration $($session.Duration) s"
Write-Host "   started $($session.StartedAt.LocalDateTime), expires $($session.ExpiresAt.LocalDateTime)"

Write-Host '4. Extend it by five minutes'
$session = $session | Update-NacQodSession -ExtendBy 300
Write-Host "   duration now $($session.Duration) s, expires $($session.ExpiresAt.LocalDateTime)"

Write-Host '5. A second session, for a port range on the server and a list of device ports'
$ported = $device | New-NacQodSession -Profile QOS_L -Duration 3600 `
    -ServiceIpv4 198.51.100.7 -ServicePortRange 80-443 -DevicePort 1600, 2000
Write-Host "   created $($ported.SessionId): server ports $($ported.ServicePorts), device ports $($ported.DevicePorts)"

Write-Host '6. All sessions of the device'
$all = Get-NacQodSession -Device $device
$all | Format-Table | Out-String -Width 160 | Write-Host

Write-Host '7. One session by id'
Get-NacQodSession -SessionId $session.SessionId | Format-List SessionId, Profile, Status, Duration, StartedAt, ExpiresAt, ServiceIpv4, ServiceIpv6 | Out-Host

Write-Host '8. Delete the first session'
$session | Remove-NacQodSession -Confirm:$false
Write-Host "   $(@(Get-NacQodSession -Device $device).Count) session(s) left"

Write-Host '9. Clear every remaining session of the device'
$device | Clear-NacQodSession -Force
Write-Host "   $(@(Get-NacQodSession -Device $device).Count) session(s) left"
