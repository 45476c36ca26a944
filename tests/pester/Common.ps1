# Dot-sourced by every Pester test file: imports the built module and offers helpers that talk to
# the simulator's own diagnostics endpoints (never through the module under test).
$script:ModulePath = $env:NAC_TEST_MODULE
if (-not $script:ModulePath) { throw 'NAC_TEST_MODULE is not set: run the tests through build.ps1 Test.' }
Import-Module $script:ModulePath -Force

function Get-SimulatorStats {
    param([Parameter(Mandatory)] $Simulator)
    Invoke-RestMethod -Uri ([Uri]::new($Simulator.BaseUrl, '/_simulator/stats'))
}

function Reset-Simulator {
    param([Parameter(Mandatory)] $Simulator)
    Invoke-RestMethod -Method Post -Uri ([Uri]::new($Simulator.BaseUrl, '/_simulator/reset')) | Out-Null
}

function Wait-SessionStatus {
    # Polls the session until it has the status, for at most $TimeoutSec; returns the last state seen.
    param([Parameter(Mandatory)] [string] $SessionId, [string] $Status = 'AVAILABLE', [int] $TimeoutSec = 15)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    do {
        $session = Get-NacQodSession -SessionId $SessionId
        if ($session.Status -eq $Status) { return $session }
        Start-Sleep -Milliseconds 100
    } while ([DateTime]::UtcNow -lt $deadline)
    $session
}

function New-TestDevice {
    # A device with a phone number of its own, so tests do not conflict with each other.
    param([long] $Number = (Get-Random -Minimum 100000000 -Maximum 999999999))
    New-NacDevice -PhoneNumber "+36$Number"
}
