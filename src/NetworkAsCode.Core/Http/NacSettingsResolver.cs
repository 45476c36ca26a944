using System;
using System.Security;

namespace NetworkAsCode.Http
{
    /// <summary>What Connect-Nac was given. Anything left null falls back to the environment, then the default.</summary>
    public sealed class NacContextOptions
    {
        public SecureString? Token { get; set; }
        public NacEnvironment? Environment { get; set; }
        public Uri? BaseUrl { get; set; }
        public string? RapidApiHost { get; set; }
    }

    /// <summary>
    /// Resolves the connection: explicit values (the runspace context set by Connect-Nac) first, then the
    /// environment variables NAC_TOKEN, NAC_ENV and NAC_BASE_URL, then the defaults.
    /// </summary>
    public static class NacSettingsResolver
    {
        public const string TokenVariable = "NAC_TOKEN";
        public const string EnvironmentVariable = "NAC_ENV";
        public const string BaseUrlVariable = "NAC_BASE_URL";

        public static NacConnectionSettings Resolve(NacContextOptions? context, Func<string, string?>? readEnvironment = null)
        {
            readEnvironment ??= System.Environment.GetEnvironmentVariable;
            var (environment, baseUrl, host) = ResolveEndpoint(context, readEnvironment);
            var token = context?.Token ?? TokenFromEnvironment(readEnvironment);
            if (token == null || token.Length == 0)
                throw new NacConfigurationException(TokenVariable,
                    "No API token: run Connect-Nac -Token <token>, or set the NAC_TOKEN environment variable for unattended jobs.");
            return new NacConnectionSettings(baseUrl, host, token, environment);
        }

        /// <summary>Everything but the token: which environment, which root URL, which RapidAPI host.</summary>
        public static (NacEnvironment environment, Uri baseUrl, string rapidApiHost) ResolveEndpoint(
            NacContextOptions? context, Func<string, string?>? readEnvironment = null)
        {
            readEnvironment ??= System.Environment.GetEnvironmentVariable;
            var environment = ResolveEnvironment(context, readEnvironment);
            Uri baseUrl = context?.BaseUrl ?? BaseUrlFromEnvironment(readEnvironment) ?? NacConnectionSettings.DefaultBaseUrl(environment);
            string host = context?.RapidApiHost ?? NacConnectionSettings.DefaultRapidApiHost(environment);
            return (environment, baseUrl, host);
        }

        public static NacEnvironment ResolveEnvironment(NacContextOptions? context, Func<string, string?> readEnvironment)
        {
            if (context?.Environment != null) return context.Environment.Value;
            string? text = readEnvironment(EnvironmentVariable);
            if (string.IsNullOrWhiteSpace(text)) return NacEnvironment.Prod;
            if (NacConnectionSettings.TryParseEnvironment(text, out var parsed)) return parsed;
            throw new NacConfigurationException(EnvironmentVariable,
                $"The environment variable NAC_ENV is '{text}': use prod, staging or dev, or remove it.");
        }

        public static bool HasTokenInEnvironment(Func<string, string?>? readEnvironment = null) =>
            !string.IsNullOrEmpty((readEnvironment ?? System.Environment.GetEnvironmentVariable)(TokenVariable));

        private static SecureString? TokenFromEnvironment(Func<string, string?> readEnvironment)
        {
            string? text = readEnvironment(TokenVariable);
            if (string.IsNullOrEmpty(text)) return null;
            var secure = new SecureString();
            foreach (char c in text!) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }

        private static Uri? BaseUrlFromEnvironment(Func<string, string?> readEnvironment)
        {
            string? text = readEnvironment(BaseUrlVariable);
            if (string.IsNullOrWhiteSpace(text)) return null;
            string? error = NacConnectionSettings.CheckBaseUrl("The environment variable NAC_BASE_URL", text!.Trim(), out var url);
            if (error != null) throw new NacConfigurationException(BaseUrlVariable, error);
            return url;
        }
    }
}
