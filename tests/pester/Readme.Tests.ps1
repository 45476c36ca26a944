# The README's "Using it" block, extracted from the README itself, runs top to bottom in a fresh pwsh
# against the simulator without an error (no dead end such as extending a session still REQUESTED).
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -NoConnect
}
AfterAll {
    $Sim | Stop-NacSimulator
}

Describe 'README' {
    It 'the "Using it" block runs top to bottom in a fresh pwsh without an error' {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
        $match = [regex]::Match($readme, '(?s)## Using it\s*```powershell\r?\n(.*?)```')
        $match.Success | Should -BeTrue -Because 'the README has a "Using it" section with a powershell block'
        $block = $match.Groups[1].Value
        $block | Should -Match 'Import-Module ./out/NetworkAsCode'
        # The job imports the module under test itself (Invoke-Job) and gets the token from $token.
        $script = "`$ErrorActionPreference = 'Stop'`n`$token = 'simulator-key'`n" + ($block -replace '(?m)^Import-Module \./out/NetworkAsCode.*$', '')
        $job = Invoke-Job -Environment @{ NAC_BASE_URL = "$($Sim.BaseUrl)" } -Script $script
        $job.Output | Should -Not -Match 'Exception|Error'
        $job.ExitCode | Should -Be 0
        (Get-SimulatorStats $Sim).sessionsLive | Should -Be 0 -Because 'the block ends by clearing the device'
    }
}
