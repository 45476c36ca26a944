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

$script:Pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
# Under the dotnet tool, pwsh runs as 'dotnet pwsh.dll'.
$script:PwshArgs = @(if ((Split-Path -Leaf $Pwsh) -like 'dotnet*') { Join-Path $PSHOME 'pwsh.dll' })

function Invoke-Job {
    # Runs a script in a new non-interactive pwsh, as a scheduler would; returns exit code and output.
    # The script starts with Import-Module of the module under test unless -NoImport.
    param([string] $Script, [hashtable] $Environment = @{}, [switch] $NoImport)
    $file = Join-Path $TestDrive ("job-{0}.ps1" -f [guid]::NewGuid().ToString('N'))
    $prefix = if ($NoImport) { '' } else { "Import-Module '$ModulePath'`n" }
    Set-Content -Path $file -Value ($prefix + $Script)
    $saved = @{}
    foreach ($key in $Environment.Keys) { $saved[$key] = [Environment]::GetEnvironmentVariable($key); [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
    # From a scratch folder, so nothing the job writes relative to its working directory lands in the repository.
    Push-Location $TestDrive
    try {
        $output = & $Pwsh @PwshArgs -NoProfile -NonInteractive -File $file 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    } finally {
        Pop-Location
        foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
    }
}
