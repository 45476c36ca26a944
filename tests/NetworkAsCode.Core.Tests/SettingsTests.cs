using System;
using System.Collections.Generic;
using System.Net;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>NacSettingsResolver and NacConnectionSettings: precedence, NAC_* variables, environments, base URL rules.</summary>
    public class SettingsTests
    {
        private static Func<string, string?> Env(params (string name, string value)[] vars)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in vars) map[name] = value;
            return name => map.TryGetValue(name, out var v) ? v : null;
        }

        private static string Plain(NacConnectionSettings s) => new NetworkCredential("", s.Token).Password;

        [Fact]
        public void The_context_token_beats_NAC_TOKEN()
        {
            var s = NacSettingsResolver.Resolve(new NacContextOptions { Token = Harness.Secure("from-context") }, Env(("NAC_TOKEN", "from-env")));
            Assert.Equal("from-context", Plain(s));
        }

        [Fact]
        public void NAC_TOKEN_is_used_when_the_context_has_no_token()
        {
            Assert.Equal("from-env", Plain(NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "from-env")))));
            Assert.Equal("from-env", Plain(NacSettingsResolver.Resolve(new NacContextOptions { Environment = NacEnvironment.Staging }, Env(("NAC_TOKEN", "from-env")))));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        public void A_missing_token_is_a_configuration_error_naming_NAC_TOKEN(string? value)
        {
            var env = value == null ? Env() : Env(("NAC_TOKEN", value));
            var e = Assert.Throws<NacConfigurationException>(() => NacSettingsResolver.Resolve(null, env));
            Assert.Equal("NAC_TOKEN", e.Setting);
            Assert.Contains("NAC_TOKEN", e.Message);
            Assert.Contains("Connect-Nac", e.Message);
            Assert.IsAssignableFrom<NacException>(e);
        }

        [Fact]
        public void HasTokenInEnvironment_reads_NAC_TOKEN()
        {
            Assert.True(NacSettingsResolver.HasTokenInEnvironment(Env(("NAC_TOKEN", "x"))));
            Assert.False(NacSettingsResolver.HasTokenInEnvironment(Env()));
            Assert.False(NacSettingsResolver.HasTokenInEnvironment(Env(("NAC_TOKEN", ""))));
        }

        [Theory]
        [InlineData("prod", NacEnvironment.Prod)]
        [InlineData("PROD", NacEnvironment.Prod)]
        [InlineData("staging", NacEnvironment.Staging)]
        [InlineData("Staging", NacEnvironment.Staging)]
        [InlineData("dev", NacEnvironment.Dev)]
        [InlineData("DEV", NacEnvironment.Dev)]
        [InlineData(" dev ", NacEnvironment.Dev)]
        public void NAC_ENV_selects_the_environment_in_any_case(string value, NacEnvironment expected)
        {
            var s = NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "t"), ("NAC_ENV", value)));
            Assert.Equal(expected, s.Environment);
        }

        [Fact]
        public void No_NAC_ENV_means_prod()
        {
            Assert.Equal(NacEnvironment.Prod, NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "t"))).Environment);
            Assert.Equal(NacEnvironment.Prod, NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "t"), ("NAC_ENV", "  "))).Environment);
        }

        [Theory]
        [InlineData("production2")]
        [InlineData("sandbox")]
        [InlineData("qa")]
        public void An_invalid_NAC_ENV_is_an_error_naming_it(string value)
        {
            var e = Assert.Throws<NacConfigurationException>(() => NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "t"), ("NAC_ENV", value))));
            Assert.Equal("NAC_ENV", e.Setting);
            Assert.Contains("NAC_ENV", e.Message);
            Assert.Contains(value, e.Message);
        }

        [Fact]
        public void The_context_environment_beats_NAC_ENV_even_an_invalid_one()
        {
            var context = new NacContextOptions { Environment = NacEnvironment.Dev, Token = Harness.Secure("t") };
            Assert.Equal(NacEnvironment.Dev, NacSettingsResolver.Resolve(context, Env(("NAC_ENV", "staging"))).Environment);
            Assert.Equal(NacEnvironment.Dev, NacSettingsResolver.Resolve(context, Env(("NAC_ENV", "bogus"))).Environment);
        }

        [Theory]
        [InlineData(NacEnvironment.Prod, "https://network-as-code.p-eu.rapidapi.com/", "network-as-code.nokia.rapidapi.com")]
        [InlineData(NacEnvironment.Staging, "https://network-as-code.p-eu.rapidapi.com/", "network-as-code.nokia-stage.rapidapi.com")]
        [InlineData(NacEnvironment.Dev, "https://network-as-code1.p-eu.rapidapi.com/", "network-as-code1.nokia-dev.rapidapi.com")]
        public void Each_environment_has_its_default_base_url_and_host(NacEnvironment environment, string baseUrl, string host)
        {
            var s = NacSettingsResolver.Resolve(new NacContextOptions { Environment = environment }, Env(("NAC_TOKEN", "t")));
            Assert.Equal(baseUrl, s.BaseUrl.AbsoluteUri);
            Assert.Equal(host, s.RapidApiHost);
            Assert.Equal(new Uri(baseUrl), NacConnectionSettings.DefaultBaseUrl(environment));
            Assert.Equal(host, NacConnectionSettings.DefaultRapidApiHost(environment));
        }

        [Fact]
        public void NAC_BASE_URL_is_used_and_the_host_still_follows_the_environment()
        {
            var s = NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "t"), ("NAC_ENV", "staging"), ("NAC_BASE_URL", "https://gateway.example/nac")));
            Assert.Equal("https://gateway.example/nac", s.BaseUrl.AbsoluteUri);
            Assert.Equal("network-as-code.nokia-stage.rapidapi.com", s.RapidApiHost);
        }

        [Fact]
        public void NAC_BASE_URL_to_loopback_over_http_is_allowed()
        {
            var s = NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "t"), ("NAC_BASE_URL", "http://127.0.0.1:5080")));
            Assert.Equal("http://127.0.0.1:5080/", s.BaseUrl.AbsoluteUri);
        }

        [Theory]
        [InlineData("http://example.com")]
        [InlineData("ftp://example.com")]
        [InlineData("example.com")]
        [InlineData("https://example.com/?a=1")]
        public void A_bad_NAC_BASE_URL_is_an_error_naming_it(string value)
        {
            var e = Assert.Throws<NacConfigurationException>(() => NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "t"), ("NAC_BASE_URL", value))));
            Assert.Equal("NAC_BASE_URL", e.Setting);
            Assert.Contains("NAC_BASE_URL", e.Message);
        }

        [Fact]
        public void The_context_base_url_and_host_beat_the_environment()
        {
            var context = new NacContextOptions
            {
                Token = Harness.Secure("t"),
                BaseUrl = new Uri("https://context.example"),
                RapidApiHost = "custom.host.example",
            };
            var s = NacSettingsResolver.Resolve(context, Env(("NAC_BASE_URL", "https://env.example"), ("NAC_ENV", "dev")));
            Assert.Equal("https://context.example/", s.BaseUrl.AbsoluteUri);
            Assert.Equal("custom.host.example", s.RapidApiHost);
            Assert.Equal(NacEnvironment.Dev, s.Environment);
        }

        [Fact]
        public void ResolveEndpoint_needs_no_token()
        {
            var (environment, baseUrl, host) = NacSettingsResolver.ResolveEndpoint(null, Env(("NAC_ENV", "dev")));
            Assert.Equal(NacEnvironment.Dev, environment);
            Assert.Equal("https://network-as-code1.p-eu.rapidapi.com/", baseUrl.AbsoluteUri);
            Assert.Equal("network-as-code1.nokia-dev.rapidapi.com", host);
        }

        [Theory]
        [InlineData("https://network-as-code.p-eu.rapidapi.com")]
        [InlineData("https://host.example/prefix")]
        [InlineData("http://127.0.0.1")]
        [InlineData("http://127.0.0.1:5080")]
        [InlineData("http://127.8.9.10:80")]
        [InlineData("http://localhost")]
        [InlineData("http://localhost:5080")]
        [InlineData("http://[::1]")]
        [InlineData("http://[::1]:5080")]
        public void CheckBaseUrl_accepts_https_and_loopback_http(string text)
        {
            Assert.Null(NacConnectionSettings.CheckBaseUrl("BaseUrl", text, out var url));
            Assert.NotNull(url);
        }

        [Theory]
        [InlineData("http://example.com", "loopback")]
        [InlineData("http://192.0.2.1", "loopback")]
        [InlineData("http://localhost.example.com", "loopback")]
        [InlineData("http://[2001:db8::1]", "loopback")]
        [InlineData("ftp://example.com", "http(s)")]
        [InlineData("example.com", "http(s)")]
        [InlineData("", "http(s)")]
        [InlineData("https://example.com/?x=1", "query")]
        [InlineData("https://example.com/#frag", "query")]
        public void CheckBaseUrl_refuses_clear_text_to_a_remote_host_and_malformed_urls(string text, string rule)
        {
            string? error = NacConnectionSettings.CheckBaseUrl("BaseUrl", text, out var url);
            Assert.NotNull(error);
            Assert.Contains("BaseUrl", error);
            Assert.Contains(rule, error);
            Assert.Null(url);
        }

        [Theory]
        [InlineData("prod", NacEnvironment.Prod)]
        [InlineData("Staging", NacEnvironment.Staging)]
        [InlineData("DEV", NacEnvironment.Dev)]
        public void TryParseEnvironment_ignores_case(string text, NacEnvironment expected)
        {
            Assert.True(NacConnectionSettings.TryParseEnvironment(text, out var parsed));
            Assert.Equal(expected, parsed);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("test")]
        public void TryParseEnvironment_rejects_other_names(string? text) =>
            Assert.False(NacConnectionSettings.TryParseEnvironment(text, out _));

        [Fact]
        public void Settings_reject_nulls()
        {
            Assert.Throws<ArgumentNullException>(() => new NacConnectionSettings(null!, "h", Harness.Secure("t"), NacEnvironment.Prod));
            Assert.Throws<ArgumentNullException>(() => new NacConnectionSettings(new Uri("https://h"), null!, Harness.Secure("t"), NacEnvironment.Prod));
            Assert.Throws<ArgumentNullException>(() => new NacConnectionSettings(new Uri("https://h"), "h", null!, NacEnvironment.Prod));
        }

        [Fact]
        public void A_configuration_error_never_shows_the_token()
        {
            var e = Assert.Throws<NacConfigurationException>(() =>
                NacSettingsResolver.Resolve(null, Env(("NAC_TOKEN", "leaky-token-9876"), ("NAC_ENV", "nowhere"))));
            Assert.DoesNotContain("leaky-token-9876", e.ToString());
        }
    }
}
