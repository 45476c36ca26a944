# Dependency isolation: the module works in a session where another module has loaded other versions of
# Microsoft.Extensions.DependencyInjection.Abstractions and Microsoft.Extensions.Http (the family that most
# often breaks other modules), in either order, and the other module's versions keep working too. The module
# itself brings no Microsoft.Extensions assembly any more (issue 13): it must not load one of its own.
# Each case runs in a fresh pwsh process.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $packages = $env:NAC_TEST_PACKAGES
    $script:OtherAbstractions = Join-Path $packages 'microsoft.extensions.dependencyinjection.abstractions/8.0.2/lib/netstandard2.0/Microsoft.Extensions.DependencyInjection.Abstractions.dll'
    $script:OtherHttp = Join-Path $packages 'microsoft.extensions.http/8.0.1/lib/netstandard2.0/Microsoft.Extensions.Http.dll'
    $script:Sim = Start-NacSimulator -NoConnect
    $script:Environment = @{ NAC_TOKEN = 'k'; NAC_BASE_URL = "$($Sim.BaseUrl)" }

    # What each job does with the other module's assemblies, and with ours.
    $script:LoadOther = @"
Add-Type -Path '$OtherAbstractions'
Add-Type -Path '$OtherHttp'
"@
    $script:UseOther = @'
$services = [Microsoft.Extensions.DependencyInjection.ServiceCollection]::new()
"other module: ServiceCollection from $([Microsoft.Extensions.DependencyInjection.ServiceCollection].Assembly.GetName().Version)"
'@
    $script:UseOurs = @'
$device = New-NacDevice -PhoneNumber ('+3688' + (Get-Random -Minimum 1000000 -Maximum 9999999))
$session = $device | New-NacQodSession -Profile QOS_L -Duration 60 -ServiceIpv4 233.252.0.2 -ErrorAction Stop
"ours: created $($session.SessionId)"
$device | Clear-NacQodSession -Force -ErrorAction Stop
'@
    $script:ListVersions = @'
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -like 'Microsoft.Extensions.*' } |
    ForEach-Object { "loaded: $($_.GetName().Name) $($_.GetName().Version)" }
'@
}
AfterAll {
    $Sim | Stop-NacSimulator
}

Describe 'Isolation of Microsoft.Extensions.*' {
    It 'the other packages are there to test with' {
        $OtherAbstractions | Should -Exist
        $OtherHttp | Should -Exist
    }

    It 'works when another module loaded other versions first' {
        $job = Invoke-Job -NoImport -Environment $Environment -Script ("`$ErrorActionPreference = 'Stop'`n" + $LoadOther + "`n" +
            "Import-Module '$ModulePath'`n" + $UseOurs + "`n" + $UseOther + "`n" + $ListVersions)
        $job.Output | Should -Match 'ours: created [0-9a-f-]{36}'
        $job.Output | Should -Match 'other module: ServiceCollection from 8\.0'
        $job.Output | Should -Match 'loaded: Microsoft.Extensions.DependencyInjection.Abstractions 8\.0'
        $job.Output | Should -Not -Match 'loaded: Microsoft\.Extensions\.\S+ (?!8\.0)' -Because 'only the other module brings Microsoft.Extensions assemblies'
        $job.ExitCode | Should -Be 0 -Because $job.Output
    }

    It 'works when it was imported first and another module loads other versions later' {
        $job = Invoke-Job -NoImport -Environment $Environment -Script ("`$ErrorActionPreference = 'Stop'`n" +
            "Import-Module '$ModulePath'`n" + $UseOurs + "`n" + $LoadOther + "`n" + $UseOther + "`n" + $UseOurs + "`n" + $ListVersions)
        ([regex]::Matches($job.Output, 'ours: created')).Count | Should -Be 2
        $job.Output | Should -Match 'other module: ServiceCollection from 8\.0'
        $job.Output | Should -Match 'loaded: Microsoft.Extensions.DependencyInjection.Abstractions 8\.0'
        $job.Output | Should -Not -Match 'loaded: Microsoft\.Extensions\.\S+ (?!8\.0)' -Because 'only the other module brings Microsoft.Extensions assemblies'
        $job.ExitCode | Should -Be 0 -Because $job.Output
    }

    It 'keeps the types scripts name resolvable' {
        $job = Invoke-Job -Environment $Environment -Script @'
$d = New-NacDevice -PhoneNumber +36880000001
"$($d -is [NetworkAsCode.Device]) $([NetworkAsCode.PortRange]::new('80-90')) $([NetworkAsCode.NacApiException].Name)"
'@
        $job.Output | Should -Match 'True 80-90 NacApiException'
    }
}
