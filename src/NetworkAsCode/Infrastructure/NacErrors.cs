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
                case NacApiException api:
                    (id, category, action) = FromStatus(api);
                    break;
                case NacConnectionException connection when connection.IsTimeout:
                    id = "NacTimeout"; category = ErrorCategory.OperationTimeout;
                    action = "Try again later or raise -TimeoutSec; check the session's state before creating it again.";
                    break;
                case NacConnectionException _:
                    id = "NacConnectionFailed"; category = ErrorCategory.ConnectionError;
                    action = "Check the base URL (Get-NacContext), the network and the proxy settings.";
                    break;
                case NacProtocolException _:
                    id = "NacProtocolError"; category = ErrorCategory.ProtocolError;
                    action = "The server's answer was not a QoD API answer; check the base URL.";
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
            if (status == 401) return ("NacUnauthenticated", ErrorCategory.AuthenticationError, "Check the API token (Connect-Nac -Token, or NAC_TOKEN).");
            if (status == 403) return ("NacPermissionDenied", ErrorCategory.PermissionDenied, "Check that the token is valid and subscribed to the QoD API in this environment.");
            if (status == 404)
                return e.Code == "IDENTIFIER_NOT_FOUND"
                    ? ("NacDeviceNotFound", ErrorCategory.ObjectNotFound, "Check the device's identifiers.")
                    : ("NacSessionNotFound", ErrorCategory.ObjectNotFound, "The session does not exist (any more): list the device's sessions with Get-NacQodSession -Device.");
            if (status == 409) return ("NacConflict", ErrorCategory.ResourceExists,
                e.Code == "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED"
                    ? "Only an AVAILABLE session can be extended: check its Status."
                    : "A session of this device already covers these flows: remove it first, or use other ports or addresses.");
            if (status == 400 || status == 422) return ("NacInvalidRequest", ErrorCategory.InvalidArgument, "The platform refused the request's content: see the code and message.");
            if (status == 429) return ("NacThrottled", ErrorCategory.LimitsExceeded, "Too many requests: wait and try again.");
            if (status >= 500) return ("NacServiceError", ErrorCategory.ResourceUnavailable, "The platform failed: try again later.");
            return ("NacApiError", ErrorCategory.NotSpecified, "See the HTTP status and message.");
        }
    }
}
