# Module quality checks, standing in for PSScriptAnalyzer (not available here): verbs, exports,
# OutputType, ShouldProcess really called, parameters, manifest.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'NetworkAsCode.psd1')
    $script:Commands = @(Get-Command -Module NetworkAsCode)
    $script:Mutating = 'New-NacQodSession', 'Update-NacQodSession', 'Remove-NacQodSession', 'Clear-NacQodSession', 'Invoke-NacQodSession'
    $script:Silent = 'Disconnect-Nac', 'Stop-NacSimulator'   # the only cmdlets that emit nothing
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Module quality' {
    It 'exports exactly the cmdlets the manifest lists, explicitly' {
        $Manifest.CmdletsToExport | Should -Not -Contain '*'
        $Manifest.FunctionsToExport | Should -BeNullOrEmpty
        $Manifest.AliasesToExport | Should -BeNullOrEmpty
        $Manifest.VariablesToExport | Should -BeNullOrEmpty
        ($Commands.Name | Sort-Object) | Should -Be ($Manifest.CmdletsToExport | Sort-Object)
        $Commands | ForEach-Object { $_.CommandType | Should -Be 'Cmdlet' }
    }

    It '<_> uses an approved verb and a singular Nac noun' -ForEach @((Import-PowerShellDataFile (Join-Path $env:NAC_TEST_MODULE 'NetworkAsCode.psd1')).CmdletsToExport) {
        $verb, $noun = $_ -split '-', 2
        (Get-Verb).Verb | Should -Contain $verb
        $noun | Should -Match '^Nac([A-Z]|$)'
        $noun | Should -Not -Match 's$'
    }

    It 'every cmdlet that emits declares [OutputType]' {
        foreach ($command in $Commands | Where-Object Name -NotIn $Silent) {
            $command.OutputType | Should -Not -BeNullOrEmpty -Because "$($command.Name) emits objects"
        }
    }

    It 'mutating cmdlets support -WhatIf and -Confirm; Clear is ConfirmImpact High; nothing else does' {
        foreach ($command in $Commands) {
            $supports = $command.Parameters.ContainsKey('WhatIf')
            $supports | Should -Be ($command.Name -in $Mutating) -Because $command.Name
        }
        $attribute = $Commands.Where({ $_.Name -eq 'Clear-NacQodSession' })[0].ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
    }

    It 'no parameter set takes more than one parameter from the pipeline by value' {
        foreach ($command in $Commands) {
            foreach ($set in $command.ParameterSets) {
                @($set.Parameters | Where-Object ValueFromPipeline).Count | Should -BeLessOrEqual 1 -Because "$($command.Name) [$($set.Name)]"
            }
        }
    }

    It 'secrets are SecureString parameters, never read from the pipeline by name' {
        foreach ($command in $Commands) {
            foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -match '(Token|Key|Password|Secret)$' }) {
                $parameter.ParameterType | Should -BeIn @([securestring], [securestring[]]) -Because "$($command.Name) -$($parameter.Name)"
                $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] -and $_.ValueFromPipelineByPropertyName }) |
                    Should -BeNullOrEmpty -Because "$($command.Name) -$($parameter.Name)"
            }
        }
    }

    It 'the manifest is complete' {
        $path = Join-Path $ModulePath 'NetworkAsCode.psd1'
        { Test-ModuleManifest -Path $path -ErrorAction Stop } | Should -Not -Throw
        $Manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $Manifest.PowerShellVersion | Should -Be '5.1'
        $Manifest.Description | Should -Not -BeNullOrEmpty
        $Manifest.FormatsToProcess | Should -Contain 'NetworkAsCode.Format.ps1xml'
        $data = $Manifest.PrivateData.PSData
        $data.Tags | Should -Contain 'QoD'
        $data.ProjectUri | Should -Match '^https://'
        $data.LicenseUri | Should -Match '^https://'
        $data.ReleaseNotes | Should -Match '### Added' -Because 'the build stamps the newest CHANGELOG section'
        Join-Path $ModulePath 'LICENSE' | Should -Exist
    }

    It 'ShouldProcess is really called: -WhatIf sends no mutating request' {
        $sim = Start-NacSimulator -AvailableDelayMs 0
        try {
            $device = New-TestDevice
            $session = $device | New-NacQodSession -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
            $before = Get-SimulatorStats $sim
            $device | New-NacQodSession -Profile QOS_M -Duration 60 -ServiceIpv4 198.51.100.1 -WhatIf
            $session | Update-NacQodSession -ExtendBy 60 -WhatIf
            Update-NacQodSession -SessionId $session.SessionId -ExtendBy 60 -WhatIf
            $session | Remove-NacQodSession -WhatIf
            Remove-NacQodSession -SessionId $session.SessionId -WhatIf
            $device | Clear-NacQodSession -WhatIf
            $device | Clear-NacQodSession -Force -WhatIf
            $after = Get-SimulatorStats $sim
            $after.sessionsCreated | Should -Be $before.sessionsCreated
            $after.sessionsDeleted | Should -Be $before.sessionsDeleted
            (Get-NacQodSession -SessionId $session.SessionId).Duration | Should -Be 600
            # Only Clear may read (it lists the sessions it would remove); nothing else was sent.
            ($after.requests - $before.requests) | Should -BeLessOrEqual 2
        } finally {
            $sim | Stop-NacSimulator
        }
    }
}
