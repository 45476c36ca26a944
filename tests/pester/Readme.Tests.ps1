# Every PowerShell code block of README.md is a promise: each runs here, as written, in a fresh pwsh against the
# bundled simulator, and must end without a single error. The blocks are read from the README itself, so a block
# that changes is tested as it now reads.
BeforeDiscovery {
    $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../README.md')
    $script:Blocks = @()
    $heading = ''
    $index = 0
    $inBlock = $false
    $lines = @()
    foreach ($line in ($readme -split "`r?`n")) {
        if (-not $inBlock -and $line -match '^#{2,3} (.+)$') { $heading = $Matches[1]; $index = 0; continue }
        if (-not $inBlock -and $line -eq '```powershell') { $inBlock = $true; $lines = @(); continue }
        if ($inBlock -and $line -eq '```') {
            $inBlock = $false
            $index++
            $script:Blocks += @{ Name = "$heading, block $index"; Code = ($lines -join "`n") }
            continue
        }
        if ($inBlock) { $lines += $line }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-NacSimulator -NoConnect -AvailableDelayMs 200
    # The README's blocks import ./out/NetworkAsCode or NetworkAsCode by name: a scratch folder provides both,
    # pointing at the module under test, plus the devices.csv the blocks read.
    $script:Scratch = Join-Path $TestDrive 'readme'
    New-Item -ItemType Directory -Path (Join-Path $Scratch 'out') -Force | Out-Null
    New-Item -ItemType SymbolicLink -Path (Join-Path $Scratch 'out/NetworkAsCode') -Target $ModulePath | Out-Null
    @(
        'PhoneNumber,Ipv4PublicAddress,Ipv4PrivateAddress,Ipv4PublicPort'
        '+36721601234501,233.252.0.11,192.0.2.11,80'
        '+36721601234502,,,'
        '+36721601234503,233.252.0.13,192.0.2.13,'
    ) | Set-Content -Path (Join-Path $Scratch 'devices.csv')
}

AfterAll {
    Stop-NacSimulator
}

Describe 'README code block <Name>' -ForEach $Blocks {
    It 'runs as written against the simulator without an error' {
        Reset-Simulator $Sim
        # What a reader has in hand before a block: a token, and a device for the blocks that use one without making it.
        $prelude = @(
            '$token = "readme-test-key"'
            'Set-Location $env:NAC_README_DIR'
            'Import-Module (Join-Path $env:NAC_README_DIR "out/NetworkAsCode")'
            '$d = New-NacDevice -PhoneNumber +36721601239999'
        ) -join "`n"
        $script = $prelude + "`n" + $Code + "`n" + 'if ($Error.Count -gt 0) { $Error | ForEach-Object { "ERROR: $_" }; exit 1 }' + "`n" + 'exit 0'
        $environment = @{
            NAC_README_DIR = $Scratch
            NAC_BASE_URL   = $Sim.BaseUrl.ToString()
            NAC_TOKEN      = 'readme-test-key'
            PSModulePath   = (Join-Path $Scratch 'out') + [IO.Path]::PathSeparator + $env:PSModulePath
        }
        $run = Invoke-Job -Script $script -Environment $environment -NoImport
        $run.Output | Should -Not -Match 'ERROR:'
        $run.ExitCode | Should -Be 0 -Because $run.Output
    }
}
