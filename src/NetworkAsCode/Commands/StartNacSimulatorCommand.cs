using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Text.RegularExpressions;
using System.Threading;
using NetworkAsCode.Http;
using NetworkAsCode.Infrastructure;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// Starts the bundled Network as Code simulator (a real HTTP server on 127.0.0.1) and, unless told
    /// not to, connects this runspace to it.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "NacSimulator")]
    [OutputType(typeof(NacSimulator))]
    public sealed class StartNacSimulatorCommand : NacCmdlet
    {
        /// <summary>The loopback port; 0 (the default) picks a free one.</summary>
        [Parameter]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>Delay added to every API answer, in milliseconds.</summary>
        [Parameter]
        [ValidateRange(0, 60000)]
        public int LatencyMs { get; set; }

        /// <summary>Fraction (0 to 1) of API requests answered 503 before anything is done.</summary>
        [Parameter]
        [ValidateRange(0.0, 1.0)]
        public double FailRate { get; set; }

        /// <summary>Answer every Nth API request 429 with Retry-After; 0 for never.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int ThrottleEvery { get; set; }

        /// <summary>The Retry-After seconds sent with a 429.</summary>
        [Parameter]
        [ValidateRange(0, 3600)]
        public int RetryAfterSec { get; set; } = 1;

        /// <summary>How long a new session stays REQUESTED before it becomes AVAILABLE, in milliseconds.</summary>
        [Parameter]
        [ValidateRange(0, 600000)]
        public int AvailableDelayMs { get; set; } = 500;

        /// <summary>Seed for the random choice of failed requests, for repeatable runs.</summary>
        [Parameter]
        public int? Seed { get; set; }

        /// <summary>Make only this API key valid (others get 403). By default any non-empty key is accepted.</summary>
        [Parameter]
        [SecureStringTransformation]
        public SecureString? ApiKey { get; set; }

        /// <summary>Gateway: requests per second and key (token bucket) before the 429 "Too many requests"; 0 for no limit.</summary>
        [Parameter]
        [ValidateRange(0.0, 1000000.0)]
        public double RateLimit { get; set; }

        /// <summary>Gateway: the token bucket's size (default: the rate, at least 1). Needs -RateLimit.</summary>
        [Parameter]
        [ValidateRange(1, 1000000)]
        public int RateBurst { get; set; }

        /// <summary>Gateway: add Retry-After (seconds) to the rate-limit 429 (by default it has none, as on the platform). Needs -RateLimit.</summary>
        [Parameter]
        [ValidateRange(0, 86400)]
        public int RateLimitRetryAfterSec { get; set; }

        /// <summary>Gateway: send that Retry-After as an HTTP date instead of seconds. Needs -RateLimitRetryAfterSec.</summary>
        [Parameter]
        public SwitchParameter RateLimitRetryAfterAsDate { get; set; }

        /// <summary>Gateway: requests per quota period and key, then the RapidAPI quota 429; 0 for no quota.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Quota { get; set; }

        /// <summary>Gateway: the quota period in seconds (default 86400, a DAILY quota; 28 days or more is MONTHLY).</summary>
        [Parameter]
        [ValidateRange(1, 31622400)]
        public int QuotaPeriodSec { get; set; } = 86400;

        /// <summary>Gateway: the X-RapidAPI-Host every request must send (others get 404 "API doesn't exists"); this runspace connects with it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? RapidApiHost { get; set; }

        /// <summary>Gateway: keys that are valid but not subscribed to the API (403 "You are not subscribed to this API.").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SecureStringTransformation]
        public SecureString[]? UnsubscribedKey { get; set; }

        /// <summary>Do not connect this runspace to the simulator.</summary>
        [Parameter]
        public SwitchParameter NoConnect { get; set; }

        /// <summary>Seconds to wait for the simulator to start listening.</summary>
        [Parameter]
        [ValidateRange(1, 600)]
        public int StartTimeoutSec { get; set; } = 60;

        protected override void EndProcessing()
        {
            string moduleBase = MyInvocation.MyCommand.Module?.ModuleBase
                ?? Path.GetDirectoryName(typeof(StartNacSimulatorCommand).Assembly.Location)!;
            string simulatorDll = Path.Combine(moduleBase, "simulator", "NetworkAsCode.Simulator.dll");
            if (!File.Exists(simulatorDll))
                ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The simulator is not in this module's folder: {simulatorDll} is missing. Rebuild the module (build.ps1 Build)."),
                    "NacSimulatorMissing", ErrorCategory.ObjectNotFound, simulatorDll));

            CheckGatewayParameters();
            string apiKey = ApiKey == null ? "simulator-key" : new System.Net.NetworkCredential("", ApiKey).Password;
            var arguments = new List<string>
            {
                simulatorDll, "--urls", $"http://127.0.0.1:{Port}",
                "--latency-ms", Invariant(LatencyMs), "--fail-rate", FailRate.ToString("R", CultureInfo.InvariantCulture),
                "--throttle-every", Invariant(ThrottleEvery), "--retry-after", Invariant(RetryAfterSec),
                "--available-delay-ms", Invariant(AvailableDelayMs),
                "--parent-pid", Invariant(Process.GetCurrentProcess().Id),
            };
            if (Seed.HasValue) arguments.AddRange(new[] { "--seed", Invariant(Seed.Value) });
            AddGatewayArguments(arguments);
            // The key goes by environment, never on the command line (which every local user can read in ps).
            // Without -ApiKey the simulator accepts any key: a NAC_SIMULATOR_API_KEY of this shell is not passed on.
            var environment = new Dictionary<string, string?>
            {
                [ApiKeyVariable] = ApiKey == null ? null : apiKey,
                [UnsubscribedKeysVariable] = UnsubscribedKey == null ? null
                    : string.Join(",", Array.ConvertAll(UnsubscribedKey, k => new System.Net.NetworkCredential("", k).Password)),
            };

            NacSimulator simulator;
            try
            {
                simulator = NacSimulator.Start(DotnetHost(), arguments, environment, TimeSpan.FromSeconds(StartTimeoutSec), CancelToken);
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception e) when (e is InvalidOperationException || e is System.ComponentModel.Win32Exception || e is TimeoutException)
            {
                ThrowTerminatingError(new ErrorRecord(e, "NacSimulatorStartFailed", ErrorCategory.ResourceUnavailable, simulatorDll));
                return;
            }
            NacRunspaceState.Current.Simulators.Add(simulator);
            WriteVerbose($"The simulator listens on {simulator.BaseUrl} (process {simulator.ProcessId}).");

            if (!NoConnect)
            {
                var token = new SecureString();
                foreach (char c in apiKey) token.AppendChar(c);
                token.MakeReadOnly();
                NacRunspaceState.Current.Context = new NacContextOptions { Token = token, BaseUrl = simulator.BaseUrl, RapidApiHost = RapidApiHost };
                WriteVerbose($"This runspace is connected to {simulator.BaseUrl}.");
            }
            WriteObject(simulator);
        }

        /// <summary>The simulator reads its API key from this variable (same meaning as --api-key).</summary>
        internal const string ApiKeyVariable = "NAC_SIMULATOR_API_KEY";

        /// <summary>The simulator reads its unsubscribed keys from this variable, comma-separated (same meaning as --unsubscribed-key).</summary>
        internal const string UnsubscribedKeysVariable = "NAC_SIMULATOR_UNSUBSCRIBED_KEYS";

        private bool Bound(string parameter) => MyInvocation.BoundParameters.ContainsKey(parameter);

        /// <summary>Rules between the gateway parameters, checked before anything starts.</summary>
        private void CheckGatewayParameters()
        {
            string? error = null;
            string parameter = nameof(RateLimit);
            if (RateLimit <= 0 && (Bound(nameof(RateBurst)) || Bound(nameof(RateLimitRetryAfterSec))))
            {
                parameter = Bound(nameof(RateBurst)) ? nameof(RateBurst) : nameof(RateLimitRetryAfterSec);
                error = $"-{parameter} needs -RateLimit N (N > 0): it shapes the rate limit's answers.";
            }
            else if (RateLimitRetryAfterAsDate && !Bound(nameof(RateLimitRetryAfterSec)))
            {
                parameter = nameof(RateLimitRetryAfterAsDate);
                error = "-RateLimitRetryAfterAsDate needs -RateLimitRetryAfterSec S: the date sent is now + S seconds.";
            }
            if (error != null) ThrowNacError(new NacValidationException(parameter, error), parameter);
        }

        private void AddGatewayArguments(List<string> arguments)
        {
            if (RateLimit > 0) arguments.AddRange(new[] { "--rate-limit", RateLimit.ToString("R", CultureInfo.InvariantCulture) });
            if (Bound(nameof(RateBurst))) arguments.AddRange(new[] { "--rate-burst", Invariant(RateBurst) });
            if (Bound(nameof(RateLimitRetryAfterSec))) arguments.AddRange(new[] { "--rate-retry-after", Invariant(RateLimitRetryAfterSec) });
            if (RateLimitRetryAfterAsDate) arguments.Add("--rate-retry-after-date");
            if (Quota > 0) arguments.AddRange(new[] { "--quota", Invariant(Quota), "--quota-period-s", Invariant(QuotaPeriodSec) });
            if (RapidApiHost != null) arguments.AddRange(new[] { "--rapidapi-host", RapidApiHost });
        }

        private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>The dotnet host running us (the pwsh dotnet tool sets DOTNET_HOST_PATH), else dotnet from PATH.</summary>
        private static string DotnetHost()
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host!;
            string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
            if (!string.IsNullOrEmpty(root))
            {
                string candidate = Path.Combine(root!, Path.DirectorySeparatorChar == '\\' ? "dotnet.exe" : "dotnet");
                if (File.Exists(candidate)) return candidate;
            }
            return "dotnet";
        }
    }

    /// <summary>Stops simulators started by Start-NacSimulator: the one given, or every one this runspace started.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "NacSimulator")]
    public sealed class StopNacSimulatorCommand : NacCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public NacSimulator? InputObject { get; set; }

        private bool _stoppedAny;

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            Stop(InputObject);
        }

        protected override void EndProcessing()
        {
            if (_stoppedAny || MyInvocation.BoundParameters.ContainsKey(nameof(InputObject))) return;
            foreach (var simulator in NacRunspaceState.Current.Simulators.ToArray()) Stop(simulator);
        }

        private void Stop(NacSimulator simulator)
        {
            _stoppedAny = true;
            simulator.Stop();
            NacRunspaceState.Current.Simulators.Remove(simulator);
            var context = NacRunspaceState.Current.Context;
            if (context?.BaseUrl != null && context.BaseUrl == simulator.BaseUrl) NacRunspaceState.Current.Context = null;
            WriteVerbose($"Stopped the simulator at {simulator.BaseUrl}.");
        }
    }

    /// <summary>A running simulator process.</summary>
    public sealed class NacSimulator
    {
        private static readonly Regex Listening = new Regex(@"Now listening on:\s*(http://\S+)", RegexOptions.CultureInvariant);
        private readonly Process _process;
        private readonly Queue<string> _lastLines = new Queue<string>();

        private NacSimulator(Process process, Uri baseUrl)
        {
            _process = process;
            BaseUrl = baseUrl;
        }

        public Uri BaseUrl { get; }
        public int Port => BaseUrl.Port;
        public int ProcessId => _process.Id;
        public bool Running => !_process.HasExited;

        /// <summary>
        /// Starts <paramref name="dotnet"/> with <paramref name="arguments"/> and waits until it listens.
        /// <paramref name="environment"/> sets (or, with null, removes) variables of the child. On Linux the child
        /// runs in its own session (setsid), so Ctrl+C in the shell that started it does not reach it; on Windows
        /// CreateNoWindow gives it its own (hidden) console, which Ctrl+C of the shell's console does not reach.
        /// </summary>
        internal static NacSimulator Start(string dotnet, IList<string> arguments, IDictionary<string, string?> environment, TimeSpan timeout, CancellationToken cancel)
        {
            string? setsid = SetsidPath();
            var info = new ProcessStartInfo(setsid ?? dotnet)
            {
                Arguments = string.Join(" ", QuoteAll(setsid == null ? arguments : Prepend(dotnet, arguments))),
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };
            foreach (var variable in environment)
            {
                if (variable.Value == null) info.Environment.Remove(variable.Key);
                else info.Environment[variable.Key] = variable.Value;
            }
            var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {dotnet}.");
            var ready = new ManualResetEventSlim();
            Uri? baseUrl = null;
            NacSimulator? simulator = null;
            var earlyLines = new List<string>();
            int streamsOpen = 2;
            DataReceivedEventHandler onLine = (_, e) =>
            {
                // Both output streams ended before "Now listening": the simulator has exited (its last words are read).
                if (e.Data == null) { if (Interlocked.Decrement(ref streamsOpen) == 0) ready.Set(); return; }
                lock (earlyLines)
                {
                    if (simulator != null) simulator.Keep(e.Data);
                    else earlyLines.Add(e.Data);
                }
                var match = Listening.Match(e.Data);
                if (match.Success && baseUrl == null)
                {
                    baseUrl = new Uri(match.Groups[1].Value.TrimEnd('/'));
                    ready.Set();
                }
            };
            process.OutputDataReceived += onLine;
            process.ErrorDataReceived += onLine;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            try
            {
                if (!ready.Wait(timeout, cancel) || baseUrl == null)
                {
                    string output;
                    lock (earlyLines) output = string.Join(Environment.NewLine, earlyLines);
                    if (!process.WaitForExit(ready.IsSet ? 5000 : 0))
                        throw new TimeoutException($"The simulator did not start listening within {timeout.TotalSeconds:0} s:{Environment.NewLine}{output}");
                    // The simulator says why it could not start in "error: ..." lines (e.g. the port is in use): show
                    // those alone; anything else is shown in full.
                    var errors = new List<string>();
                    lock (earlyLines)
                        foreach (string line in earlyLines)
                            if (line.StartsWith(ErrorPrefix, StringComparison.Ordinal)) errors.Add(line.Substring(ErrorPrefix.Length));
                    throw new InvalidOperationException(errors.Count > 0
                        ? "The simulator could not start: " + string.Join(" ", errors)
                        : $"The simulator exited with code {process.ExitCode} before listening:{Environment.NewLine}{output}");
                }
            }
            catch
            {
                Kill(process);
                throw;
            }
            lock (earlyLines)
            {
                simulator = new NacSimulator(process, baseUrl);
                foreach (string line in earlyLines) simulator.Keep(line);
            }
            AppDomain.CurrentDomain.ProcessExit += (_, __) => Kill(process);
            return simulator;
        }

        /// <summary>The last lines the simulator printed, for diagnosis.</summary>
        public string[] Output()
        {
            lock (_lastLines) return _lastLines.ToArray();
        }

        internal void Stop() => Kill(_process);

        public override string ToString() => BaseUrl.ToString();

        private void Keep(string line)
        {
            lock (_lastLines)
            {
                _lastLines.Enqueue(line);
                if (_lastLines.Count > 200) _lastLines.Dequeue();
            }
        }

        private static void Kill(Process process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }

        private const string ErrorPrefix = "error: ";

        /// <summary>setsid(1) on Linux when present (util-linux), else null.</summary>
        private static string? SetsidPath()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return null;
            foreach (string candidate in new[] { "/usr/bin/setsid", "/bin/setsid" })
                if (File.Exists(candidate)) return candidate;
            return null;
        }

        private static IEnumerable<string> Prepend(string first, IEnumerable<string> rest)
        {
            yield return first;
            foreach (string item in rest) yield return item;
        }

        private static IEnumerable<string> QuoteAll(IEnumerable<string> arguments)
        {
            foreach (string a in arguments)
                yield return a.IndexOfAny(new[] { ' ', '"', '\t' }) < 0 ? a : "\"" + a.Replace("\"", "\\\"") + "\"";
        }
    }
}
