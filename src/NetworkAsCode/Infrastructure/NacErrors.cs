using System;
using System.Management.Automation;
using NetworkAsCode.Http;

namespace NetworkAsCode.Infrastructure
{
    /// <summary>
    /// The one place where failures become ErrorRecords: a stable ErrorId, a category from the HTTP
    /// status, the server's CAMARA code and text in the message, the target object, and what to do next.
    /// </summary>
    internal static class NacErrors
    {
        public static ErrorRecord From(Exception exception, object? target)
        {
            string id;
            ErrorCategory category;
            string? action = null;
            switch (exception)
            {
                case NacValidationException _:
                    id = "NacInvalidArgument"; category = ErrorCategory.InvalidArgument;
                    action = "Correct the parameter value; nothing was sent.";
                    break;
                case NacConfigurationException config when config.Setting == NacSettingsResolver.TokenVariable:
                    id = "NacTokenMissing"; category = ErrorCategory.AuthenticationError;
                    action = "Run Connect-Nac -Token <token>, or set NAC_TOKEN in the job's environment.";
                    break;
                case NacConfigurationException config:
                    id = "NacConfigurationInvalid"; category = ErrorCategory.InvalidArgument;
                    action = $"Correct or remove {config.Setting} (Get-NacContext shows the settings in effect).";
                    break;
                case NacQuotaExceededException quota:
                    id = "NacQuotaExceeded"; category = ErrorCategory.QuotaExceeded;
                    action = (quota.ResetsAt == null
                        ? $"The {quota.Quota} quota of the key's plan is spent: wait until it resets"
                        : $"The {quota.Quota} quota of the key's plan is spent: run again after {quota.ResetsAt.Value.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz}") +
                        ", or upgrade the plan on the RapidAPI / NaC dashboard. Retrying sooner cannot succeed.";
                    break;
                case NacGatewayException gateway when gateway.Fault == NacGatewayFault.WrongRapidApiHost:
                    id = "NacWrongRapidApiHost"; category = ErrorCategory.InvalidArgument;
                    action = "Set the X-RapidAPI-Host with Connect-Nac -RapidApiHost <host> (or pick the right -Environment), copying the host from the " +
                        "code snippet of the Network as Code API on the RapidAPI / NaC dashboard; Get-NacContext shows the one in use.";
                    break;
                case NacGatewayException gateway when gateway.Fault == NacGatewayFault.NotSubscribed:
                    id = "NacNotSubscribed"; category = ErrorCategory.PermissionDenied;
                    action = "Subscribe the key's application to the Network as Code API (choose a plan on the RapidAPI / NaC dashboard), or connect with a subscribed key.";
                    break;
                case NacGatewayException _:
                    id = "NacInvalidApiKey"; category = ErrorCategory.AuthenticationError;
                    action = "Copy the API key again from the RapidAPI / NaC dashboard and run Connect-Nac -Token <key> (or set NAC_TOKEN in the job's environment).";
                    break;
                case NacApiException api:
                    (id, category, action) = FromStatus(api);
                    break;
                case NacConnectionException connection when connection.IsTimeout:
                    id = "NacTimeout"; category = ErrorCategory.OperationTimeout;
                    action = "Try again later or raise -TimeoutSec (or NAC_TIMEOUT_SEC): it bounds each operation, retries and waits included. " +
                        "Check the session's state (Get-NacQodSession) before creating it again.";
                    break;
                case NacConnectionException _:
                    id = "NacConnectionFailed"; category = ErrorCategory.ConnectionError;
                    action = "Check the base URL (Get-NacContext), the network and the proxy settings.";
                    break;
                case NacProtocolException protocol when protocol.Fault == NacProtocolFault.Redirect:
                    id = "NacRedirected"; category = ErrorCategory.ProtocolError;
                    action = $"The server redirected to '{protocol.Location}', which is not followed: if that is the API's address, use it with Connect-Nac -BaseUrl; " +
                        "otherwise check the base URL (Get-NacContext) and the proxy.";
                    break;
                case NacProtocolException protocol when protocol.Fault == NacProtocolFault.NotJson:
                    id = "NacAnswerNotJson"; category = ErrorCategory.ProtocolError;
                    action = "Something other than the QoD API answered (a proxy, a captive portal, a wrong base URL): check Get-NacContext's BaseUrl, " +
                        "the proxy settings (HTTPS_PROXY) and that the network needs no sign-in page.";
                    break;
                case NacProtocolException protocol when protocol.Fault == NacProtocolFault.TooLarge:
                    id = "NacAnswerTooLarge"; category = ErrorCategory.LimitsExceeded;
                    action = "The answer was larger than the client reads (NacClient.DefaultMaxAnswerBytes); check the base URL, or list fewer sessions at a time (Get-NacQodSession -Device).";
                    break;
                case NacProtocolException _:
                    id = "NacProtocolError"; category = ErrorCategory.ProtocolError;
                    action = "The server's answer was not a QoD API answer; check the base URL. After a create, list the sessions (Get-NacQodSession) before creating it again.";
                    break;
                default:
                    id = "NacUnexpectedError"; category = ErrorCategory.NotSpecified;
                    break;
            }
            var record = new ErrorRecord(exception, id, category, target);
            if (action != null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = action };
            return record;
        }

        private static (string, ErrorCategory, string) FromStatus(NacApiException e)
        {
            int status = e.StatusCode;
            if (status == 401) return ("NacUnauthenticated", ErrorCategory.AuthenticationError,
                "The request had no valid API key: run Connect-Nac -Token <key> with the key from the RapidAPI / NaC dashboard, or set NAC_TOKEN in the job's environment.");
            if (status == 403) return ("NacPermissionDenied", ErrorCategory.PermissionDenied, "The platform refused this key access to the resource: a session created with another API key can only be read, extended or removed with that key.");
            if (status == 404)
                return e.Code == "IDENTIFIER_NOT_FOUND"
                    ? ("NacDeviceNotFound", ErrorCategory.ObjectNotFound, "Check the device's identifiers.")
                    : ("NacSessionNotFound", ErrorCategory.ObjectNotFound, "The session does not exist (any more): list the device's sessions with Get-NacQodSession -Device.");
            if (status == 409) return ("NacConflict", ErrorCategory.ResourceExists,
                e.Code == "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED"
                    ? "Only an AVAILABLE session can be extended: check its Status."
                    : "A session of this device already covers these flows: for the same flow, New-NacQodSession -IfExists Reuse or -IfExists Replace; otherwise remove it first, or use other ports or addresses.");
            if (status == 400 || status == 422) return ("NacInvalidRequest", ErrorCategory.InvalidArgument, "The platform refused the request's content: see the code and message.");
            if (status == 429) return ("NacThrottled", ErrorCategory.LimitsExceeded,
                "Rate-limited until the operation's time ran out: raise -TimeoutSec (NAC_TIMEOUT_SEC) or lower -ThrottleLimit, or try again later.");
            if (status >= 500) return ("NacServiceError", ErrorCategory.ResourceUnavailable, "The platform failed: try again later.");
            return ("NacApiError", ErrorCategory.NotSpecified, "See the HTTP status and message.");
        }
    }
}
