# Help: every exported cmdlet has complete, written help (docs/en-US/*.md compiled to MAML by tools/HelpGen),
# the help matches the cmdlets as they are now (a new cmdlet or parameter without help fails here), and
# about_NetworkAsCode is there. Needs no simulator: nothing here calls the API.
BeforeDiscovery {
    # The cmdlet names drive the -ForEach blocks, so they are needed before the run phase.
    Import-Module $env:NAC_TEST_MODULE -Force
    $script:Cmdlets = @(Get-Command -Module NetworkAsCode -CommandType Cmdlet | Sort-Object Name | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ModuleBase = (Get-Module NetworkAsCode).ModuleBase
    $script:HelpXml = Join-Path $ModuleBase 'en-US/NetworkAsCode.dll-Help.xml'
    $script:AboutTxt = Join-Path $ModuleBase 'en-US/about_NetworkAsCode.help.txt'
    $script:CommonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
    $script:HowToFix = 'write the help in docs/en-US/<cmdlet>.md and compile it: dotnet run --project tools/HelpGen -c Release -- --assembly out/NetworkAsCode/NetworkAsCode.dll --docs docs/en-US --out out/NetworkAsCode/en-US (--update adds new cmdlets and parameters to the markdown)'

    function Get-Text {
        # The text of a help node (a description is a list of paragraphs with a Text property).
        param($Node)
        (@($Node) | ForEach-Object { if ($_ -is [string]) { $_ } elseif ($null -ne $_) { $_.Text } }) -join "`n"
    }
}

Describe 'The compiled help files' {
    It 'has the MAML help beside the module, one command per exported cmdlet' {
        $HelpXml | Should -Exist -Because $HowToFix
        [xml] $maml = Get-Content -Raw $HelpXml
        $maml.helpItems.schema | Should -Be 'maml'
        $documented = @($maml.helpItems.command | ForEach-Object { $_.details.name })
        $exported = @(Get-Command -Module NetworkAsCode -CommandType Cmdlet | ForEach-Object Name)
        @($exported | Where-Object { $_ -notin $documented }) | Should -BeNullOrEmpty -Because "every exported cmdlet needs help: $HowToFix"
    }

    It 'has the about_NetworkAsCode topic' {
        $AboutTxt | Should -Exist -Because $HowToFix
    }
}

Describe 'Help of <Name>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Command = Get-Command $Name
        $script:Help = Get-Help $Name -Full
        $script:HelpParameters = @{}
        foreach ($p in @($Help.parameters.parameter)) { if ($p) { $HelpParameters[$p.name] = $p } }
        $script:Parameters = @($Command.Parameters.Values | Where-Object Name -notin $CommonParameters)
    }

    It 'has a written synopsis, not the generated syntax line' {
        $synopsis = "$($Help.Synopsis)".Trim()
        $synopsis | Should -Not -BeNullOrEmpty -Because $HowToFix
        $synopsis | Should -Not -BeLike "$Name *" -Because "a synopsis that starts with the syntax means there is no help file for $Name; $HowToFix"
        $synopsis | Should -Not -Match '\{\{'
    }

    It 'has a written description' {
        $description = Get-Text $Help.description
        $description | Should -Not -BeNullOrEmpty -Because $HowToFix
        $description | Should -Not -Match '\{\{'
        $description.Length | Should -BeGreaterThan 100 -Because 'a description says what the cmdlet does, what it sends and how it fails'
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($Help.examples.example | Where-Object { $_ })
        $examples.Count | Should -BeGreaterOrEqual 2 -Because $HowToFix
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code"
            "$($example.code)" | Should -Match ([regex]::Escape($Name)) -Because "$($example.title) should use $Name"
            (Get-Text $example.remarks).Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title) needs an explanation"
        }
    }

    It 'describes every parameter' {
        foreach ($parameter in $Parameters) {
            $HelpParameters.ContainsKey($parameter.Name) | Should -BeTrue -Because "-$($parameter.Name) of $Name needs help; $HowToFix"
            $text = Get-Text $HelpParameters[$parameter.Name].description
            $text | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) of $Name needs a description"
            $text | Should -Not -Match '\{\{'
        }
    }

    It 'documents no parameter that the cmdlet does not have' {
        $actual = @($Parameters | ForEach-Object Name)
        @($HelpParameters.Keys | Where-Object { $_ -notin $actual }) | Should -BeNullOrEmpty -Because "the help of $Name is stale; $HowToFix"
    }

    It 'has the syntax of each parameter set as the cmdlet has it' {
        $syntax = @($Help.syntax.syntaxItem | Where-Object { $_ })
        $syntax.Count | Should -Be $Command.ParameterSets.Count -Because "the help of $Name is stale; $HowToFix"
        $helpSets = @($syntax | ForEach-Object { (@($_.parameter | Where-Object { $_ } | ForEach-Object name) | Sort-Object) -join ',' })
        foreach ($set in $Command.ParameterSets) {
            $names = (@($set.Parameters | Where-Object Name -notin $CommonParameters | ForEach-Object Name) | Sort-Object) -join ','
            $helpSets | Should -Contain $names -Because "the parameter set $($set.Name) of $Name must appear in its help syntax; $HowToFix"
        }
    }

    It 'says which parameters take pipeline input, as the cmdlet binds them' {
        foreach ($parameter in $Parameters) {
            $binds = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) }).Count -gt 0
            $documented = "$($HelpParameters[$parameter.Name].pipelineInput)" -like 'True*'
            $documented | Should -Be $binds -Because "-$($parameter.Name) of $Name; $HowToFix"
        }
    }
}

Describe 'The examples as a whole' {
    BeforeAll {
        $script:AllCode = (Get-Command -Module NetworkAsCode -CommandType Cmdlet | ForEach-Object { (Get-Help $_.Name -Full).examples.example.code }) -join "`n"
    }

    It 'include interactive use' {
        $AllCode | Should -Match 'Read-Host -AsSecureString'
    }

    It 'include a pipeline from Import-Csv' {
        $AllCode | Should -Match 'Import-Csv .*\| New-NacDevice \|'
    }

    It 'include a scheduled job: non-interactive, token from the environment, stop on error, -Force' {
        $AllCode | Should -Match 'pwsh -NonInteractive -File'
        $AllCode | Should -Match 'NAC_TOKEN'
        $AllCode | Should -Match "\`$ErrorActionPreference = 'Stop'"
        $AllCode | Should -Match 'Clear-NacQodSession -Force'
    }
}

Describe 'about_NetworkAsCode' {
    It 'is found by Get-Help and covers the concepts' {
        $text = Get-Help about_NetworkAsCode | Out-String
        $text | Should -Match 'about_NetworkAsCode'
        foreach ($needed in 'New-NacDevice', 'QOS_L', 'REQUESTED', 'AVAILABLE', 'UNAVAILABLE', 'DURATION_EXPIRED', 'NAC_TOKEN', 'NAC_ENV',
            'NAC_BASE_URL', 'NAC_MAX_RETRIES', 'NAC_TIMEOUT_SEC', 'Start-NacSimulator', '+99999990404', '+99999990422', '+99999990500',
            'NacConflict', 'NacTokenMissing', 'FullyQualifiedErrorId', 'NotificationUrl') {
            $text | Should -Match ([regex]::Escape($needed)) -Because "about_NetworkAsCode should explain $needed"
        }
    }
}

Describe 'Get-Help New-NacQodSession -Examples' {
    It 'teaches the module: several examples with their code and explanations' {
        $text = Get-Help New-NacQodSession -Examples | Out-String -Width 200
        $text | Should -Match 'Example 1'
        $text | Should -Match 'Example 2'
        $text | Should -Match 'New-NacDevice -PhoneNumber \+\d+'
        $text | Should -Match 'New-NacQodSession -Profile \w+ -Duration \d+ -ServiceIpv4'
        $text | Should -Match 'Wait-NacQodSession'
        $text | Should -Match 'Import-Csv'
    }
}
