# Packaging: the module packs into a .nupkg, installs by name with PSResourceGet from a local
# file repository, imports by name and works against its own bundled simulator. All in a fresh
# pwsh whose HOME is a temporary folder, so the machine's module paths and repositories are untouched.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Package and install' {
    It 'installs with Install-PSResource and runs by name' {
        $tempHome = Join-Path $TestDrive 'home'
        $repo = Join-Path $TestDrive 'repo'
        New-Item -ItemType Directory -Path $tempHome, $repo | Out-Null
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name NacLocal -Uri '$repo' -Trusted
Publish-PSResource -Path '$ModulePath' -Repository NacLocal -SkipDependenciesCheck
"package: " + (Get-ChildItem '$repo' -Filter *.nupkg).Name
Install-PSResource -Name NetworkAsCode -Repository NacLocal -TrustRepository -Scope CurrentUser
Import-Module NetworkAsCode
"imported from: " + (Get-Module NetworkAsCode).ModuleBase
`$sim = Start-NacSimulator
`$session = New-NacDevice -PhoneNumber +36990000001 | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2
"created: " + `$session.SessionId
Stop-NacSimulator
"@
        $job = Invoke-Job -NoImport -Environment @{ HOME = $tempHome; XDG_DATA_HOME = (Join-Path $tempHome '.local/share'); XDG_CONFIG_HOME = (Join-Path $tempHome '.config'); PSModulePath = $null } -Script $script
        $job.ExitCode | Should -Be 0 -Because $job.Output
        $job.Output | Should -Match 'package: NetworkAsCode\.\d+\.\d+\.\d+\.nupkg'
        $job.Output | Should -Match ('imported from: ' + [regex]::Escape($tempHome))
        $job.Output | Should -Match 'created: [0-9a-f-]{36}'
    }
}
