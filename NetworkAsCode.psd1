@{
    RootModule           = 'NetworkAsCode.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0d4f5e-3a55-4c1e-9d2b-7c1c5e0a9b41'
    Author               = 'NetworkAsCode contributors'
    CompanyName          = 'NetworkAsCode'
    Copyright            = '(c) NetworkAsCode contributors. MIT License.'
    Description          = 'Create and manage Quality-on-Demand (QoD) sessions on Nokia Network as Code from PowerShell: prioritised mobile connectivity for a device, for a chosen time and profile. Ships a local simulator of the QoD API for offline use and tests.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('NetworkAsCode.Format.ps1xml')
    TypesToProcess       = @('NetworkAsCode.Types.ps1xml')
    CmdletsToExport      = @(
        'Connect-Nac'
        'Disconnect-Nac'
        'Get-NacContext'
        'New-NacDevice'
        'New-NacQodSession'
        'Get-NacQodSession'
        'Invoke-NacQodSession'
        'Update-NacQodSession'
        'Remove-NacQodSession'
        'Clear-NacQodSession'
        'Wait-NacQodSession'
        'Get-NacQosProfile'
        'Start-NacSimulator'
        'Stop-NacSimulator'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('NetworkAsCode', 'Nokia', 'CAMARA', 'QoD', 'QualityOnDemand', '5G', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/networkascode/NetworkAsCode'
            LicenseUri   = 'https://github.com/networkascode/NetworkAsCode/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
