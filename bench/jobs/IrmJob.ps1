# The same scheduled job as ModuleJob.ps1 written with Invoke-RestMethod and no module: one session created
# and deleted, with the token and endpoint from NAC_TOKEN and NAC_BASE_URL, the phone number from NAC_BENCH_PHONE.
$ErrorActionPreference = 'Stop'
$sessions = $env:NAC_BASE_URL.TrimEnd('/') + '/quality-on-demand/v1/sessions'
$headers = @{ 'X-RapidAPI-Key' = $env:NAC_TOKEN; 'X-RapidAPI-Host' = 'network-as-code.nokia.rapidapi.com'; 'Accept' = 'application/json' }
$body = @{ qosProfile = 'QOS_L'; device = @{ phoneNumber = $env:NAC_BENCH_PHONE }; applicationServer = @{ ipv4Address = '233.252.0.2' }; duration = 600 } | ConvertTo-Json -Compress
$session = Invoke-RestMethod -Method Post -Uri $sessions -Headers $headers -Body $body -ContentType 'application/json'
$null = Invoke-RestMethod -Method Delete -Uri "$sessions/$($session.sessionId)" -Headers $headers
