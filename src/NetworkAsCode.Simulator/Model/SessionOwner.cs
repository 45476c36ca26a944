using System;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace NetworkAsCode.Simulator.Model;

/// <summary>
/// The application that created a session: its API key, kept only as a SHA-256 digest so the key itself is never
/// stored, printed or logged. Sessions are listed to, and can be read, extended and deleted by, their owner only.
/// </summary>
public readonly record struct SessionOwner
{
    public const string KeyHeader = "X-RapidAPI-Key";

    private readonly string _keyDigest;

    private SessionOwner(string keyDigest) => _keyDigest = keyDigest;

    /// <summary>The owner of requests with no key at all (only reachable when no authentication runs, e.g. the store in tests).</summary>
    public static SessionOwner Anonymous { get; } = new(string.Empty);

    public static SessionOwner FromKey(string key) =>
        key.Length == 0 ? Anonymous : new(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))));

    /// <summary>
    /// The key of a request: the <c>X-RapidAPI-Key</c> header, or else the Bearer token that the CAMARA test suite
    /// sends instead (with <c>--api-key</c> it must equal the key, so both name the same owner).
    /// </summary>
    public static SessionOwner FromRequest(HttpRequest request)
    {
        var key = request.Headers[KeyHeader].ToString();
        if (key.Length > 0)
        {
            return FromKey(key);
        }

        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? FromKey(authorization["Bearer ".Length..].Trim())
            : Anonymous;
    }

    private string KeyDigest => _keyDigest ?? string.Empty;

    public bool Equals(SessionOwner other) => string.Equals(KeyDigest, other.KeyDigest, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(KeyDigest);

    public override string ToString() => "SessionOwner { API key hidden }";
}
