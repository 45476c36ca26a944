# A scheduled job written with the module: import it, create one session, delete it. The harness runs it as
# `pwsh -NoProfile -File bench/jobs/ModuleJob.ps1`; the token and endpoint come from the environment (NAC_TOKEN,
# NAC_BASE_URL, as a scheduler would set them), the module path and phone number from NAC_BENCH_MODULE and
# NAC_BENCH_PHONE.
$ErrorActionPreference = 'Stop'
Import-Module $env:NAC_BENCH_MODULE
$device = New-NacDevice -PhoneNumber $env:NAC_BENCH_PHONE
$session = New-NacQodSession -Device $device -Profile QOS_L -Duration 600 -ServiceIpv4 233.252.0.2
Remove-NacQodSession -SessionId $session.SessionId -Confirm:$false
