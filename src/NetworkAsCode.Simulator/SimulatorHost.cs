using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NetworkAsCode.Simulator.Endpoints;
using NetworkAsCode.Simulator.Faults;
using NetworkAsCode.Simulator.Gateway;
using NetworkAsCode.Simulator.Http;
using NetworkAsCode.Simulator.Notifications;
using NetworkAsCode.Simulator.Profiles;

namespace NetworkAsCode.Simulator;

/// <summary>How the host runs (not command-line switches): clock and logging.</summary>
public sealed record SimulatorHostSettings
{
    /// <summary>The clock of the session life cycle. Tests may pass a controllable one.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Console logging (warnings, plus the "Now listening on:" startup lines). Off for in-process tests.</summary>
    public bool ConsoleLogging { get; init; }

    /// <summary>The QoS profile catalogue (null: the built-in one). Tests may add profiles, e.g. INACTIVE ones.</summary>
    public ProfileCatalog? Profiles { get; init; }
}

/// <summary>Builds and starts the simulator. <c>Program</c> and the tests use the same code.</summary>
public static class SimulatorHost
{
    public static WebApplication Build(SimulatorOptions options, SimulatorHostSettings? settings = null)
    {
        settings ??= new SimulatorHostSettings();
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(SimulatorHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Only SimulatorOptions configures the simulator (SimulatorOptions.Parse reads the command line and
        // NAC_SIMULATOR_API_KEY): no other environment variables or files can add listening addresses
        // (ASPNETCORE_URLS, Kestrel__Endpoints__...) and so bind beyond loopback.
        builder.Configuration.Sources.Clear();

        builder.Logging.ClearProviders();
        if (settings.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
            // "Hosting failed to start" with a stack trace: Program reports start failures itself, in one line.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Bodies over RequestBody.MaxBytes are refused with a CAMARA 400 after being read and discarded up to
            // this limit, so the client finishes sending and gets the answer; beyond it Kestrel answers 413 and closes.
            kestrel.Limits.MaxRequestBodySize = RequestBody.DrainLimitBytes;
            foreach (var url in options.Urls)
            {
                var (address, port) = SimulatorOptions.ToEndpoint(url);
                kestrel.Listen(address, port);
            }
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(settings.Time);
        builder.Services.AddSingleton<SimulatorStats>();
        builder.Services.AddSingleton(settings.Profiles ?? ProfileCatalog.CreateDefault());
        builder.Services.AddSingleton<FaultInjector>();
        builder.Services.AddSingleton<GatewayLimits>();
        builder.Services.AddSingleton(sp => new NotificationSender(
            sp.GetRequiredService<SimulatorStats>(),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("NetworkAsCode.Simulator.Notifications"),
            TimeSpan.FromMilliseconds(options.NotificationTimeoutMs)));
        builder.Services.AddSingleton<INotificationQueue>(sp => sp.GetRequiredService<NotificationSender>());
        builder.Services.AddSingleton(sp => new SessionStore(
            SessionTimings.From(options),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<INotificationQueue>(),
            sp.GetRequiredService<SimulatorStats>()));

        var app = builder.Build();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<CorrelatorMiddleware>();
        app.UseWhen(IsApiRequest, api =>
        {
            api.UseMiddleware<LatencyMiddleware>();
            // The RapidAPI gateway, in its order: host (404), key (401/403), quota then rate (429).
            api.UseMiddleware<GatewayHostMiddleware>();
            api.UseMiddleware<AuthMiddleware>();
            api.UseMiddleware<GatewayLimitsMiddleware>();
            api.UseMiddleware<FaultInjectionMiddleware>();
        });
        app.MapQodEndpoints();
        app.MapQosProfileEndpoints();
        app.MapDiagnosticsEndpoints();
        return app;
    }

    /// <summary>Builds and starts the simulator; the result knows the bound base URL and stops it when disposed.</summary>
    public static async Task<RunningSimulator> StartAsync(
        SimulatorOptions options, SimulatorHostSettings? settings = null, CancellationToken cancellationToken = default)
    {
        var app = Build(options, settings);
        try
        {
            await app.StartAsync(cancellationToken);
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            foreach (var address in addresses)
            {
                // Defence in depth: refuse to run if anything bound beyond loopback.
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !uri.IsLoopback)
                {
                    throw new InvalidOperationException($"The simulator bound to {address}, which is not a loopback address.");
                }
            }

            return new RunningSimulator(app, addresses);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private static bool IsApiRequest(HttpContext context) =>
        !context.Request.Path.StartsWithSegments(DiagnosticsEndpoints.BasePath, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A started simulator. Dispose to stop it.</summary>
public sealed class RunningSimulator : IAsyncDisposable
{
    internal RunningSimulator(WebApplication app, IReadOnlyList<string> addresses)
    {
        App = app;
        Addresses = addresses;
        BaseUrl = new Uri(addresses[0].TrimEnd('/') + "/");
    }

    public WebApplication App { get; }

    /// <summary>The bound addresses, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>The first bound address, with a trailing slash.</summary>
    public Uri BaseUrl { get; }

    public SessionStore Store => App.Services.GetRequiredService<SessionStore>();

    public SimulatorStats Stats => App.Services.GetRequiredService<SimulatorStats>();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await App.StopAsync();
        }
        finally
        {
            App.Services.GetRequiredService<SessionStore>().Dispose();
            await App.Services.GetRequiredService<NotificationSender>().DisposeAsync();
            await App.DisposeAsync();
        }
    }
}
