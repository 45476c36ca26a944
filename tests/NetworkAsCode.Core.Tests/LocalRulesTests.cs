using System;
using NetworkAsCode.Http;
using Xunit;

namespace NetworkAsCode.Core.Tests
{
    /// <summary>
    /// Rules the module checks locally rather than leave to the server: notification sinks, notification token
    /// expiry, port ranges, and credentials in a base URL (never repeated in the message).
    /// </summary>
    public class LocalRulesTests
    {
        [Theory]
        [InlineData("http://example.com/notify")]
        [InlineData("http://203.0.113.10:8080/notify")]
        [InlineData("http://[2001:db8::1]/notify")]
        public void A_plain_http_notification_url_off_loopback_is_refused(string url)
        {
            string? error = NacValidation.CheckNotificationUrl("NotificationUrl", url);
            Assert.NotNull(error);
            Assert.Contains("NotificationUrl", error);
            Assert.Contains("use https", error);
        }

        [Theory]
        [InlineData("http://localhost:9000/notify")]
        [InlineData("http://127.0.0.2/notify")]
        [InlineData("http://[::1]:9000/notify")]
        [InlineData("https://example.com/notify")]
        public void Https_anywhere_and_http_to_loopback_are_accepted(string url) =>
            Assert.Null(NacValidation.CheckNotificationUrl("NotificationUrl", url));

        [Fact]
        public void A_notification_token_expiry_in_the_past_is_refused_and_one_ahead_accepted()
        {
            var now = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
            string? error = NacValidation.CheckFutureTime("NotificationAuthTokenExpiresAt", now.AddSeconds(-1), now);
            Assert.NotNull(error);
            Assert.Contains("NotificationAuthTokenExpiresAt", error);
            Assert.Contains("in the past", error);
            Assert.NotNull(NacValidation.CheckFutureTime("NotificationAuthTokenExpiresAt", now, now));
            Assert.Null(NacValidation.CheckFutureTime("NotificationAuthTokenExpiresAt", now.AddSeconds(1), now));
            Assert.Null(NacValidation.CheckFutureTime("NotificationAuthTokenExpiresAt", null, now));
        }

        [Fact]
        public void A_session_request_with_an_expired_notification_token_fails_validation()
        {
            var request = new QodSessionRequest(Device.Create(phoneNumber: "+36721601234567"), "QOS_L", 60)
            {
                ServiceIpv4 = "233.252.0.2",
                NotificationUrl = "https://example.com/notify",
                NotificationAuthTokenExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            };
            var e = Assert.Throws<NacValidationException>(request.Validate);
            Assert.Equal("NotificationAuthTokenExpiresAt", e.ParamName);
        }

        [Theory]
        [InlineData("443-80", "reversed")]
        [InlineData("80-", "not a port range")]
        [InlineData("0-70000", "0 to 65535")]
        [InlineData("-1", "not a port range")]
        public void A_port_range_that_breaks_a_rule_says_which(string text, string rule)
        {
            var e = Assert.Throws<NacValidationException>(() => new PortRange(text));
            Assert.Contains(rule, e.Message);
        }

        [Theory]
        [InlineData("https://admin:S3cretPass@example.com/")]
        [InlineData("http://user:S3cretPass@127.0.0.1:8080/")]
        [InlineData("https://S3cretPass@example.com")]
        [InlineData("http://user:S3cretPass@example.com/?q=1")]
        public void Credentials_in_a_base_url_are_refused_and_never_repeated(string text)
        {
            string? error = NacConnectionSettings.CheckBaseUrl("BaseUrl", text, out var url);
            Assert.Null(url);
            Assert.NotNull(error);
            Assert.Contains("BaseUrl", error);
            Assert.Contains("user name or password", error);
            Assert.DoesNotContain("S3cretPass", error);
            Assert.Contains("***@", error);
        }

        [Fact]
        public void A_malformed_url_with_credentials_is_not_repeated_either()
        {
            string? error = NacConnectionSettings.CheckBaseUrl("BaseUrl", "ftp://user:S3cretPass@example.com/", out _);
            Assert.NotNull(error);
            Assert.DoesNotContain("S3cretPass", error);
        }
    }
}
