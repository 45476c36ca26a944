using System;

namespace NetworkAsCode.Simulator.Http;

/// <summary>
/// A CAMARA error (<c>{status, code, message}</c>) raised anywhere in the request path.
/// <see cref="ErrorHandlingMiddleware"/> turns it into the response; validation code throws it.
/// </summary>
public sealed class ApiError : Exception
{
    public ApiError(int status, string code, string message) : base(message)
    {
        Status = status;
        Code = code;
    }

    public int Status { get; }

    public string Code { get; }

    // Factories for the codes of the CAMARA QoD v1.1 catalogue (reference/camara-qod-contract.md §4.2).
    public static ApiError InvalidArgument(string message) => new(400, "INVALID_ARGUMENT", message);

    public static ApiError OutOfRange(string message) => new(400, "OUT_OF_RANGE", message);

    public static ApiError DurationOutOfRange(string message) => new(400, "QUALITY_ON_DEMAND.DURATION_OUT_OF_RANGE", message);

    public static ApiError InvalidCredential(string message) => new(400, "INVALID_CREDENTIAL", message);

    public static ApiError InvalidToken(string message) => new(400, "INVALID_TOKEN", message);

    public static ApiError InvalidSink(string message) => new(400, "INVALID_SINK", message);

    public static ApiError Unauthenticated(string message) => new(401, "UNAUTHENTICATED", message);

    public static ApiError NotFound(string message) => new(404, "NOT_FOUND", message);

    public static ApiError IdentifierNotFound(string message) => new(404, "IDENTIFIER_NOT_FOUND", message);

    public static ApiError MethodNotAllowed(string message) => new(405, "METHOD_NOT_ALLOWED", message);

    public static ApiError Conflict(string message) => new(409, "CONFLICT", message);

    public static ApiError ExtensionNotAllowed(string qosStatus) => new(409, "QUALITY_ON_DEMAND.SESSION_EXTENSION_NOT_ALLOWED",
        $"Extending the session duration is not allowed in the current state ({qosStatus}). The session must be in the AVAILABLE state.");

    public static ApiError UnsupportedMediaType(string message) => new(415, "UNSUPPORTED_MEDIA_TYPE", message);

    public static ApiError ServiceNotApplicable(string message) => new(422, "SERVICE_NOT_APPLICABLE", message);

    public static ApiError MissingIdentifier(string message) => new(422, "MISSING_IDENTIFIER", message);

    public static ApiError UnsupportedIdentifier(string message) => new(422, "UNSUPPORTED_IDENTIFIER", message);

    public static ApiError QosProfileNotApplicable(string message) => new(422, "QUALITY_ON_DEMAND.QOS_PROFILE_NOT_APPLICABLE", message);

    public static ApiError TooManyRequests(string message) => new(429, "TOO_MANY_REQUESTS", message);

    public static ApiError Internal(string message) => new(500, "INTERNAL", message);

    public static ApiError Unavailable(string message) => new(503, "UNAVAILABLE", message);
}
