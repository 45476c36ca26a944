using System;
using System.Security;
using System.Text.RegularExpressions;

namespace NetworkAsCode.Http
{
    /// <summary>Where and how to reach the platform: a root URL, the RapidAPI host header and the API key.</summary>
    public sealed class NacConnectionSettings
    {
        public const string ProdBaseUrl = "https://network-as-code.p-eu.rapidapi.com";
        public const string DevBaseUrl = "https://network-as-code1.p-eu.rapidapi.com";

        public NacConnectionSettings(Uri baseUrl, string rapidApiHost, SecureString token, NacEnvironment environment)
        {
            BaseUrl = baseUrl ?? throw new ArgumentNullException(nameof(baseUrl));
            RapidApiHost = rapidApiHost ?? throw new ArgumentNullException(nameof(rapidApiHost));
            Token = token ?? throw new ArgumentNullException(nameof(token));
            Environment = environment;
        }

        /// <summary>The root URL; API paths such as /quality-on-demand/v1/sessions are appended to it.</summary>
        public Uri BaseUrl { get; }
        public string RapidApiHost { get; }
        public NacEnvironment Environment { get; }

        /// <summary>The API key. Read only when a request's header is set; never printed.</summary>
        internal SecureString Token { get; }

        public static Uri DefaultBaseUrl(NacEnvironment environment) =>
            new Uri(environment == NacEnvironment.Dev ? DevBaseUrl : ProdBaseUrl);

        public static string DefaultRapidApiHost(NacEnvironment environment)
        {
            switch (environment)
            {
                case NacEnvironment.Staging: return "network-as-code.nokia-stage.rapidapi.com";
                case NacEnvironment.Dev: return "network-as-code1.nokia-dev.rapidapi.com";
                default: return "network-as-code.nokia.rapidapi.com";
            }
        }

        /// <summary>Parses NAC_ENV-style names: prod, staging, dev (any case).</summary>
        public static bool TryParseEnvironment(string? text, out NacEnvironment environment)
        {
            environment = NacEnvironment.Prod;
            if (string.IsNullOrWhiteSpace(text)) return false;
            switch (text!.Trim().ToLowerInvariant())
            {
                case "prod": case "production": environment = NacEnvironment.Prod; return true;
                case "staging": case "stage": environment = NacEnvironment.Staging; return true;
                case "dev": case "development": environment = NacEnvironment.Dev; return true;
                default: return false;
            }
        }

        /// <summary>
        /// Checks a root URL: absolute, http(s), no credentials, no query; plain http only to a loopback host, so a key
        /// never crosses a network in clear text. Returns null when valid, else the reason, which never repeats
        /// credentials written into the URL (user:password@ is shown as ***@).
        /// </summary>
        public static string? CheckBaseUrl(string parameter, string? text, out Uri? url)
        {
            url = null;
            string shown = WithoutCredentials(text);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) ||
                (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp))
                return $"{parameter} '{shown}' is not an absolute http(s) URL (for example https://network-as-code.p-eu.rapidapi.com).";
            if (!string.IsNullOrEmpty(parsed.UserInfo) || shown != text)
                return $"{parameter} '{shown}' contains a user name or password (user:password@): credentials are not allowed in the URL, " +
                       "where they would be shown and logged. Give the root URL without them; the API key goes to Connect-Nac -Token or NAC_TOKEN.";
            if (!string.IsNullOrEmpty(parsed.Query) || !string.IsNullOrEmpty(parsed.Fragment))
                return $"{parameter} '{shown}' must not have a query or fragment: give the root URL only.";
            if (parsed.Scheme == Uri.UriSchemeHttp && !IsLoopback(parsed))
                return $"{parameter} '{shown}' uses plain http to a host that is not loopback: use https (http is allowed only to localhost, 127.0.0.0/8 and ::1).";
            url = parsed;
            return null;
        }

        private static readonly Regex Credentials = new Regex(@"^(\s*[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#]*@", RegexOptions.CultureInvariant);

        /// <summary>The URL text with anything between "scheme://" and "@" replaced by ***, for messages.</summary>
        public static string WithoutCredentials(string? text) => text == null ? "" : Credentials.Replace(text, "$1***@");

        internal static bool IsLoopback(Uri url) => NacValidation.IsLoopback(url);
    }
}
