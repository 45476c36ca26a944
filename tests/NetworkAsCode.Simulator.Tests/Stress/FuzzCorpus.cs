using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;

namespace NetworkAsCode.Simulator.Tests.Stress;

/// <summary>One bad request. <see cref="Path"/> is sent exactly as written (already percent-encoded where wanted).</summary>
internal sealed record FuzzCase(string Category, string Description, string Method, string Path)
{
    public byte[]? Body { get; init; }

    public string? ContentType { get; init; } = "application/json";

    /// <summary>Send the body without Content-Length (chunked).</summary>
    public bool Chunked { get; init; }

    /// <summary>The X-RapidAPI-Key sent; null omits the header.</summary>
    public string? ApiKey { get; init; } = FuzzCorpus.Key;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Kestrel itself rejects it before any middleware runs (431, 414, %00): a 4xx without a CAMARA body is accepted.</summary>
    public bool ProtocolLevel { get; init; }

    public override string ToString()
    {
        var body = Body is null ? "no body" : Body.Length > 120
            ? $"{Body.Length} bytes: {Printable(Body.AsSpan(0, 100))}..."
            : $"{Printable(Body)}";
        var path = Path.Length > 120 ? Path[..120] + $"...({Path.Length} chars)" : Path;
        return $"[{Category}] {Description}: {Method} {path} ({body}; Content-Type {ContentType ?? "none"}{(Chunked ? ", chunked" : string.Empty)}; " +
            $"key {(ApiKey is null ? "none" : ApiKey.Length > 40 ? ApiKey[..40] + "..." : ApiKey)}" +
            (Headers.Count > 0 ? "; " + string.Join("; ", Headers.Take(3).Select(h => $"{h.Key}: {(h.Value.Length > 40 ? h.Value[..40] + $"...({h.Value.Length})" : h.Value)}")) : string.Empty) + ")";
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return text.ToString();
    }
}

/// <summary>
/// A deterministic (seeded) generator of bad requests for every endpoint of the simulator. Every case carries at
/// least one defect that the contract or the simulator's documented rules reject, so the only right answer is a 4xx
/// (a 2xx means a bad request was accepted, a 5xx or a dropped connection is a bug). A systematic part covers every
/// field of every body with every kind of wrong value, every body-level malformation, header, path and method; a
/// seeded random part adds more of the same with random parameters.
/// </summary>
internal static class FuzzCorpus
{
    public const string Key = "test-key";
    private const string Marker = "@@FUZZ@@";
    private const string Qod = "/quality-on-demand/v1";
    private const string Profiles = "/qos-profiles/v1";

    private enum Kind
    {
        ProfileName, ProfileNameFilter, ProfileStatus, Phone, Ipv4Strict, Port, Duration, Additional, ServerV4, ServerV6, DeviceV6,
        Nai, Sink, CredentialType, AccessTokenType, AccessToken, ExpiresUtc, Object, Array,
    }

    /// <summary>A field and the kind of its value; <c>NullIsBad</c> when JSON null (= absent) makes the request invalid.</summary>
    private sealed record Field(string Path, Kind Kind, bool NullIsBad);

    /// <summary>A body endpoint: a valid body, its fields, and one string field validation reads (for encoding defects).</summary>
    private sealed record BodyEndpoint(
        string Name, Func<string> PathOf, Func<JsonObject> Valid, Field[] Fields, string? ReadStringField, string NumberField, bool EmptyObjectIsValid);

    private static readonly string[] WrongTypesForString =
        ["0", "1.5", "-1", "1e309", "true", "false", "{}", "[]", "[\"a\"]", "[1,\"a\",{},null,true,[2]]", "{\"a\":1}"];

    private static readonly string[] WrongTypesForNumber =
        ["\"60\"", "\"\"", "\"abc\"", "true", "false", "{}", "[]", "[60]", "[1,\"a\",null,{}]", "{\"value\":60}"];

    private static readonly string[] WrongTypesForObject = ["\"x\"", "1", "1.5", "true", "[]", "[{}]", "[1,\"a\",null,{},[]]", "{}"];

    private static readonly string[] WrongTypesForArray = ["\"x\"", "1", "true", "{}", "{\"0\":80}", "[]", "[\"a\",1,{},null,[2]]", "[1,\"a\",{},null]"];

    private static readonly string[] HugeNumbers =
        ["1e309", "-1e309", "9999999999999999999999", "-9999999999999999999999", "1.5", "123456789012345678901234567890.5", "1E+400", "-1.0e400"];

    private static readonly string[] InvalidLiterals =
        ["NaN", "Infinity", "-Infinity", "+1", ".5", "01", "0x1F", "1.", "1e", "-", "--1", "1_000", "undefined", "True", "nul", "'60'", "60L"];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xFF], [0xFE], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82], [0xF8, 0x88, 0x80, 0x80, 0x80],
    ];

    private static readonly string[] LoneSurrogates = ["\\uD800", "\\uDC00", "\\uD800\\u0041", "\\uDBFF", "x\\uDFFFx"];

    public static IReadOnlyList<FuzzCase> Build(int seed, int randomCases, string phone, IReadOnlyList<string> existingIds)
    {
        var random = new Random(seed);
        var cases = new List<FuzzCase>();
        var endpoints = BodyEndpoints(phone, existingIds, random);

        foreach (var endpoint in endpoints)
        {
            AddFieldCases(cases, endpoint);
            AddBodyCases(cases, endpoint, random);
        }

        AddHeaderCases(cases, endpoints, existingIds);
        AddPathCases(cases, existingIds);
        AddMethodCases(cases, existingIds);
        AddRandomCases(cases, endpoints, existingIds, random, randomCases);
        return cases;
    }

    private static BodyEndpoint[] BodyEndpoints(string phone, IReadOnlyList<string> existingIds, Random random)
    {
        Field[] deviceFields(bool phoneNullIsBad) =>
        [
            new("device.phoneNumber", Kind.Phone, phoneNullIsBad),
            new("device.ipv6Address", Kind.DeviceV6, false),
            new("device.networkAccessIdentifier", Kind.Nai, false),
        ];

        return
        [
            new("create", () => Qod + "/sessions", () => new JsonObject
            {
                ["qosProfile"] = "QOS_E",
                ["device"] = new JsonObject
                {
                    ["phoneNumber"] = phone,
                    ["ipv4Address"] = new JsonObject { ["publicAddress"] = "203.0.113.9", ["privateAddress"] = "10.0.0.9" },
                },
                ["applicationServer"] = new JsonObject { ["ipv4Address"] = "198.51.100.9" },
                ["devicePorts"] = new JsonObject { ["ports"] = new JsonArray(5000), ["ranges"] = new JsonArray(new JsonObject { ["from"] = 6000, ["to"] = 6010 }) },
                ["applicationServerPorts"] = new JsonObject { ["ports"] = new JsonArray(443) },
                ["duration"] = 60,
                ["sink"] = "http://127.0.0.1:9/sink",
                ["sinkCredential"] = new JsonObject
                {
                    ["credentialType"] = "ACCESSTOKEN", ["accessTokenType"] = "bearer", ["accessToken"] = "t0k3n", ["accessTokenExpiresUtc"] = "2030-01-01T00:00:00Z",
                },
            },
            [
                new("qosProfile", Kind.ProfileName, true),
                new("device", Kind.Object, true),
                .. deviceFields(false),
                new("device.ipv4Address", Kind.Object, false),
                new("device.ipv4Address.publicAddress", Kind.Ipv4Strict, true),
                new("device.ipv4Address.privateAddress", Kind.Ipv4Strict, true),
                new("device.ipv4Address.publicPort", Kind.Port, false),
                new("applicationServer", Kind.Object, true),
                new("applicationServer.ipv4Address", Kind.ServerV4, true),
                new("applicationServer.ipv6Address", Kind.ServerV6, false),
                new("devicePorts", Kind.Object, false),
                new("devicePorts.ports", Kind.Array, false),
                new("devicePorts.ports[0]", Kind.Port, true),
                new("devicePorts.ranges", Kind.Array, false),
                new("devicePorts.ranges[0]", Kind.Object, true),
                new("devicePorts.ranges[0].from", Kind.Port, true),
                new("devicePorts.ranges[0].to", Kind.Port, true),
                new("applicationServerPorts", Kind.Object, false),
                new("applicationServerPorts.ports", Kind.Array, false),
                new("applicationServerPorts.ports[0]", Kind.Port, true),
                new("duration", Kind.Duration, true),
                new("sink", Kind.Sink, false),
                new("sinkCredential", Kind.Object, false),
                new("sinkCredential.credentialType", Kind.CredentialType, true),
                new("sinkCredential.accessTokenType", Kind.AccessTokenType, true),
                new("sinkCredential.accessToken", Kind.AccessToken, true),
                new("sinkCredential.accessTokenExpiresUtc", Kind.ExpiresUtc, true),
            ],
            ReadStringField: "qosProfile", NumberField: "duration", EmptyObjectIsValid: false),

            // Extend targets real sessions: a bad body that slipped through would change their duration (checked at the end).
            new("extend", () => Qod + "/sessions/" + existingIds[random.Next(existingIds.Count)] + "/extend",
                () => new JsonObject { ["requestedAdditionalDuration"] = 30 },
                [new("requestedAdditionalDuration", Kind.Additional, true)],
                ReadStringField: null, NumberField: "requestedAdditionalDuration", EmptyObjectIsValid: false),

            new("retrieve-sessions", () => Qod + "/retrieve-sessions",
                () => new JsonObject { ["device"] = new JsonObject { ["phoneNumber"] = phone } },
                [
                    new("device", Kind.Object, true),
                    .. deviceFields(true),
                    new("device.ipv4Address", Kind.Object, false),
                    new("device.ipv4Address.publicPort", Kind.Port, false),
                ],
                ReadStringField: "device.phoneNumber", NumberField: "device.ipv4Address.publicPort", EmptyObjectIsValid: false),

            new("retrieve-qos-profiles", () => Profiles + "/retrieve-qos-profiles",
                () => new JsonObject { ["name"] = "QOS_E", ["status"] = "ACTIVE", ["device"] = new JsonObject { ["phoneNumber"] = phone } },
                [
                    new("name", Kind.ProfileNameFilter, false),
                    new("status", Kind.ProfileStatus, false),
                    new("device", Kind.Object, false),
                    .. deviceFields(true),
                ],
                ReadStringField: "name", NumberField: "device.ipv4Address.publicPort", EmptyObjectIsValid: true),
        ];
    }

    /// <summary>Values that are wrong for a field of that kind, as raw JSON text.</summary>
    private static IEnumerable<string> BadValues(Kind kind)
    {
        static string Q(string s) => JsonValue.Create(s)!.ToJsonString();
        var long60k = new string('Q', 60 * 1024);
        return kind switch
        {
            Kind.ProfileName => [.. WrongTypesForString, Q(""), Q("QO"), Q("QOS E"), Q("QOS_Z"), Q(new string('Q', 257)), Q(long60k), Q("QOS_E\n"), Q("ÖQOS"), Q("QOS_E\u0000")],
            Kind.ProfileNameFilter => [.. WrongTypesForString, Q(""), Q("QO"), Q("QOS E"), Q(new string('Q', 257)), Q(long60k), Q("QOS_E\n"), Q("QOS*")],
            Kind.ProfileStatus => [.. WrongTypesForString, Q(""), Q("FOO"), Q("active"), Q("ACTIVE "), Q(long60k)],
            Kind.Phone => [.. WrongTypesForString, Q(""), Q("36701234567"), Q("+0123456"), Q("+1"), Q("+1234567890123456"), Q("+3670 123 4567"),
                Q("+" + new string('7', 60 * 1024)), Q("+99999990404"), Q("+99999990422"), Q("+3670١٢٣٤٥٦٧"), Q("+36701234567\n")],
            Kind.Ipv4Strict => [.. WrongTypesForString, Q(""), Q("1.2.3"), Q("256.1.1.1"), Q("1.2.3.4/32"), Q("01.2.3.4"), Q("::1"), Q(" 1.2.3.4"), Q("1.2.3.4.5")],
            Kind.Port => [.. WrongTypesForNumber, .. HugeNumbers, "65536", "-1", "70000", "0.5", "80.25"],
            Kind.Duration => [.. WrongTypesForNumber, .. HugeNumbers, "0", "-1", "-0", "86401", "1e-400", "0.1", "60.000001", "-60"],
            Kind.Additional => [.. WrongTypesForNumber, .. HugeNumbers, "0", "-1", "-0", "86400", "1e-400", "0.5", "99999"],
            Kind.ServerV4 => [.. WrongTypesForString, Q(""), Q("1.2.3"), Q("1.2.3.4/33"), Q("1.2.3.4/"), Q("::1"), Q("a.b.c.d"), Q("300.1.1.1/8"), Q("1.2.3.4/-1")],
            Kind.ServerV6 => [.. WrongTypesForString, Q(""), Q("::/129"), Q("2001:db8:::1"), Q("1.2.3.4"), Q("gggg::"), Q("2001:db8::/"), Q("::1%eth0")],
            Kind.DeviceV6 => [.. WrongTypesForString, Q(""), Q("2001:db8::1/64"), Q("zz::"), Q("1.2.3.4"), Q("2001:db8:::1")],
            Kind.Nai => [.. WrongTypesForString, Q(""), Q(new string('n', 3000) + "@example.com")],
            Kind.Sink => [.. WrongTypesForString, Q(""), Q("ftp://127.0.0.1/"), Q("http://example.com/"), Q("not a url"), Q("/relative"), Q("https://" + new string('s', 3000) + ".example/"),
                Q("javascript:alert(1)"), Q("file:///etc/passwd")],
            Kind.CredentialType => [.. WrongTypesForString, Q(""), Q("PLAIN"), Q("accesstoken"), Q("REFRESHTOKEN")],
            Kind.AccessTokenType => [.. WrongTypesForString, Q(""), Q("Bearer"), Q("mac")],
            Kind.AccessToken => [.. WrongTypesForString, Q(""), Q(new string('t', 5000))],
            Kind.ExpiresUtc => [.. WrongTypesForString, Q(""), Q("tomorrow"), Q("2030-01-01"), Q("2030-01-01T00:00:00"), Q("2030-13-01T00:00:00Z"), Q("2030-01-01 00:00:00Z")],
            Kind.Object => WrongTypesForObject,
            Kind.Array => WrongTypesForArray,
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static void AddFieldCases(List<FuzzCase> cases, BodyEndpoint endpoint)
    {
        foreach (var field in endpoint.Fields)
        {
            var values = BadValues(field.Kind).ToList();
            if (field.NullIsBad)
            {
                values.Add("null");
            }

            foreach (var value in values)
            {
                cases.Add(new FuzzCase("field", $"{endpoint.Name} {field.Path} = {Short(value)}", "POST", endpoint.PathOf())
                {
                    Body = Render(endpoint.Valid(), field.Path, value),
                });
            }

            if (field.NullIsBad && !field.Path.Contains('[', StringComparison.Ordinal))
            {
                cases.Add(new FuzzCase("field", $"{endpoint.Name} {field.Path} missing", "POST", endpoint.PathOf())
                {
                    Body = Encoding.UTF8.GetBytes(Remove(endpoint.Valid(), field.Path).ToJsonString()),
                });
            }
        }
    }

    private static void AddBodyCases(List<FuzzCase> cases, BodyEndpoint endpoint, Random random)
    {
        var valid = Encoding.UTF8.GetBytes(endpoint.Valid().ToJsonString());
        void Add(string category, string description, byte[]? body, string? contentType = "application/json", bool chunked = false) =>
            cases.Add(new FuzzCase(category, $"{endpoint.Name} {description}", "POST", endpoint.PathOf())
            {
                Body = body, ContentType = contentType, Chunked = chunked,
            });

        // Malformed JSON.
        foreach (var cut in new[] { 1, 2, valid.Length / 3, valid.Length / 2, valid.Length - 2, valid.Length - 1, random.Next(1, valid.Length) })
        {
            Add("malformed", $"truncated at {cut}/{valid.Length}", valid[..cut]);
        }

        foreach (var garbage in new[] { "x", "}", "{}", ",", "[", " null", "\u0000", "\"", "//", "]]]]" })
        {
            Add("malformed", $"trailing {Short(garbage)}", [.. valid, .. Encoding.UTF8.GetBytes(garbage)]);
        }

        Add("malformed", "two objects", [.. valid, .. valid]);
        Add("malformed", "comment", Encoding.UTF8.GetBytes("/* c */" + Encoding.UTF8.GetString(valid)));
        Add("malformed", "line comment inside", Encoding.UTF8.GetBytes("{// c\n" + Encoding.UTF8.GetString(valid)[1..]));
        Add("malformed", "trailing comma", [.. valid[..^1], .. ",}"u8]);
        Add("malformed", "single quotes", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(valid).Replace('"', '\'')));
        Add("malformed", "unquoted keys", Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(valid), "\"(\\w+)\":", "$1:")));
        Add("malformed", "raw control character in a string", Splice(Render(endpoint.Valid(), endpoint.NumberField, Q("a" + Marker + "b")), Marker, [0x01]));
        foreach (var literal in InvalidLiterals)
        {
            Add("malformed", $"{endpoint.NumberField} = {literal}", Render(endpoint.Valid(), endpoint.NumberField, literal));
        }

        // Not an object; empty.
        foreach (var root in new[] { "[]", "[" + Encoding.UTF8.GetString(valid) + "]", "\"str\"", "42", "null", "true", "\"" + Encoding.UTF8.GetString(valid).Replace("\"", "\\\"") + "\"" })
        {
            Add("not-object", $"root {Short(root)}", Encoding.UTF8.GetBytes(root));
        }

        Add("empty", "no body (Content-Length 0)", []);
        Add("empty", "no body, no Content-Type", [], contentType: null);
        Add("empty", "whitespace body", " \r\n\t "u8.ToArray());
        if (!endpoint.EmptyObjectIsValid)
        {
            Add("empty", "empty object", "{}"u8.ToArray());
            Add("empty", "empty object, no Content-Type", "{}"u8.ToArray(), contentType: null);
        }

        // Byte order marks and encodings (JSON text must be UTF-8 without a BOM).
        Add("encoding", "UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. valid]);
        Add("encoding", "UTF-8 BOM inside the object", [(byte)'{', 0xEF, 0xBB, 0xBF, .. valid[1..]]);
        Add("encoding", "UTF-16LE with BOM", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(valid))]);
        Add("encoding", "UTF-16BE with BOM", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(Encoding.UTF8.GetString(valid))]);
        Add("encoding", "UTF-16LE without BOM", Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(valid)));
        Add("encoding", "UTF-32LE with BOM", [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(Encoding.UTF8.GetString(valid))]);
        foreach (var bad in InvalidUtf8)
        {
            Add("encoding", $"invalid UTF-8 {Hex(bad)} between tokens", [(byte)'{', .. bad, .. valid[1..]]);
            if (endpoint.ReadStringField is { } field)
            {
                Add("encoding", $"invalid UTF-8 {Hex(bad)} in {field}", Splice(Render(endpoint.Valid(), field, Q("QOS" + Marker)), Marker, bad));
            }
        }

        if (endpoint.ReadStringField is { } stringField)
        {
            foreach (var escape in LoneSurrogates)
            {
                Add("encoding", $"lone surrogate {escape} in {stringField}", Render(endpoint.Valid(), stringField, "\"QOS" + escape + "\""));
            }

            Add("encoding", $"escaped NUL in {stringField}", Render(endpoint.Valid(), stringField, "\"QOS\\u0000E\""));
        }

        // Deep nesting, long strings, oversized bodies.
        foreach (var depth in new[] { 17, 64, 1000, 5000 })
        {
            Add("nesting", $"root array nested {depth}", Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth)));
            Add("nesting", $"{endpoint.Fields[0].Path} nested {depth} objects", Render(endpoint.Valid(), endpoint.Fields[0].Path, Nested(depth)));
        }

        Add("nesting", "unclosed 100000 arrays", Encoding.UTF8.GetBytes(new string('[', 100_000)));
        Add("nesting", "object nested 1000 at root", Encoding.UTF8.GetBytes(Nested(1000)));
        Add("long", "64 KiB string in an unknown property", Render(endpoint.Valid(), "padding", Q(new string('p', 64 * 1024))));
        Add("long", "256 KiB string value", Render(endpoint.Valid(), endpoint.Fields[0].Path, Q(new string('s', 256 * 1024))));
        Add("long", "64 KiB property name", Encoding.UTF8.GetBytes("{" + Q(new string('k', 64 * 1024)) + ":1," + Encoding.UTF8.GetString(valid)[1..]));
        foreach (var (size, chunked) in new[] { (65 * 1024, false), (1024 * 1024 + 1, false), (1024 * 1024 + 1, true), (2 * 1024 * 1024, false), (3 * 1024 * 1024, true) })
        {
            Add("oversized", $"{size} bytes{(chunked ? " chunked" : string.Empty)}", Padded(endpoint.Valid(), size), chunked: chunked);
        }

        // Duplicate keys: every copy is wrong (which copy wins is the parser's choice, see the report).
        var top = endpoint.Fields.First(f => !f.Path.Contains('.', StringComparison.Ordinal)).Path;
        Add("duplicate-keys", $"{top} twice, both wrong",
            Encoding.UTF8.GetBytes("{" + Q(top) + ":{\"bad\":1}," + Encoding.UTF8.GetString(Render(endpoint.Valid(), top, "[]"))[1..]));
        Add("duplicate-keys", $"{top} 1000 times, all wrong",
            Encoding.UTF8.GetBytes("{" + string.Concat(Enumerable.Repeat(Q(top) + ":\"x\",", 1000))
                + Encoding.UTF8.GetString(Render(endpoint.Valid(), top, "-5"))[1..]));

        // Content types.
        foreach (var contentType in new[]
                 {
                     "text/plain", "text/json", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                     "application/jsonx", "application/octet-stream", "json", "*/*", "garbage/////", "application", "text/html; charset=utf-8",
                 })
        {
            Add("content-type", $"Content-Type {contentType} on a valid body", valid, contentType);
        }

        Add("content-type", "no Content-Type, truncated body", valid[..^1], contentType: null);
        Add("content-type", "no Content-Type, trailing garbage", [.. valid, (byte)'x'], contentType: null);
        Add("content-type", "empty Content-Type, truncated body", valid[..^1], contentType: string.Empty);
    }

    private static void AddHeaderCases(List<FuzzCase> cases, BodyEndpoint[] endpoints, IReadOnlyList<string> existingIds)
    {
        // Every endpoint, otherwise valid: a header defect must stop it before it does anything (GET and DELETE target real sessions).
        var requests = new List<(string Name, string Method, string Path, byte[]? Body)>
        {
            ("get", "GET", Qod + "/sessions/" + existingIds[0], null),
            ("delete", "DELETE", Qod + "/sessions/" + existingIds[1], null),
            ("get profile", "GET", Profiles + "/qos-profiles/QOS_E", null),
        };
        requests.AddRange(endpoints.Select(e => (e.Name, "POST", e.PathOf(), (byte[]?)Encoding.UTF8.GetBytes(e.Valid().ToJsonString()))));

        var keys = new (string Description, string? Key, KeyValuePair<string, string>[] Extra)[]
        {
            ("no key", null, []),
            ("empty key", string.Empty, []),
            ("wrong key", "wrong", []),
            ("key upper case", "TEST-KEY", []),
            ("key prefix", "test", []),
            ("key with suffix", "test-key-", []),
            ("key with inner space", "test key", []),
            ("8 KiB key", new string('k', 8192), []),
            ("non-ASCII key", "tést-kéy", []),
            ("control character in key", "test\u0001key", []),
            ("key as Bearer", "Bearer test-key", []),
            ("key twice", Key, [new("X-RapidAPI-Key", Key)]),
            ("right and wrong key", Key, [new("X-RapidAPI-Key", "wrong")]),
            ("wrong Bearer, no key", null, [new("Authorization", "Bearer wrong")]),
            ("empty Bearer, no key", null, [new("Authorization", "Bearer ")]),
            ("Basic auth, no key", null, [new("Authorization", "Basic dGVzdC1rZXk=")]),
            ("bare token, no key", null, [new("Authorization", Key)]),
            ("8 KiB Bearer, no key", null, [new("Authorization", "Bearer " + new string('b', 8192))]),
        };
        var correlators = new (string Description, string[] Values)[]
        {
            ("257-char correlator", [new string('c', 257)]),
            ("16 KiB correlator", [new string('c', 16 * 1024)]),
            ("correlator with space", ["a b"]),
            ("non-ASCII correlator", ["corrélateur"]),
            ("emoji correlator", ["id-😀"]),
            ("control character in correlator", ["a\u0001b"]),
            ("DEL in correlator", ["a\u007Fb"]),
            ("tab in correlator", ["a\tb"]),
            ("comma in correlator", ["a,b"]),
            ("quote in correlator", ["\"quoted\""]),
            ("percent in correlator", ["a%20b"]),
            ("two correlators", ["first", "second"]),
            ("the same correlator twice", ["same", "same"]),
        };

        foreach (var (name, method, path, body) in requests)
        {
            foreach (var (description, key, extra) in keys)
            {
                cases.Add(new FuzzCase("auth", $"{name} {description}", method, path) { Body = body, ApiKey = key, Headers = extra });
            }

            foreach (var (description, values) in correlators)
            {
                cases.Add(new FuzzCase("correlator", $"{name} {description}", method, path)
                {
                    Body = body, Headers = values.Select(v => new KeyValuePair<string, string>("x-correlator", v)).ToArray(),
                });
            }

            cases.Add(new FuzzCase("protocol", $"{name} 40 KiB header", method, path)
            {
                Body = body, Headers = [new("x-correlator", new string('c', 40 * 1024))], ProtocolLevel = true,
            });
            cases.Add(new FuzzCase("protocol", $"{name} 120 headers", method, path)
            {
                Body = body, Headers = Enumerable.Range(0, 120).Select(i => new KeyValuePair<string, string>($"x-fuzz-{i}", "v")).ToArray(), ProtocolLevel = true,
            });
        }
    }

    private static void AddPathCases(List<FuzzCase> cases, IReadOnlyList<string> existingIds)
    {
        var uuid = existingIds[2];
        var badIds = new[]
        {
            "abc", "1", "-1", "0", "null", "undefined", "true", uuid[..^1], uuid + "0", uuid.Replace("-", string.Empty, StringComparison.Ordinal),
            "%7B" + uuid + "%7D", "(" + uuid + ")", uuid + "x", "%20" + uuid, uuid + "%20", "%2e%2e", "a%2Fb", "%ZZ", "%C3%28", "%F0%9F%98%80",
            "%E2%80%8B" + uuid, new string('g', 36), new string('a', 4000), uuid.Replace('-', '_'), ";", uuid + ";x=1", "%25", "%u0041",
            "*", "~", "$", "'", "%22", "%3Cscript%3E", "%09" + uuid, uuid + "%C2%A0", uuid.ToUpperInvariant()[..^1] + "Z",
        };
        foreach (var id in badIds)
        {
            cases.Add(new FuzzCase("path", $"GET session id {Short(id)}", "GET", Qod + "/sessions/" + id));
            cases.Add(new FuzzCase("path", $"DELETE session id {Short(id)}", "DELETE", Qod + "/sessions/" + id));
            cases.Add(new FuzzCase("path", $"extend session id {Short(id)}", "POST", Qod + "/sessions/" + id + "/extend")
            {
                Body = "{\"requestedAdditionalDuration\":30}"u8.ToArray(),
            });
        }

        foreach (var name in new[] { "x", "QO", "QOS%20E", "QOS_Z", new string('Q', 300), "%C3%28", "..%2F", "QOS*E", "%F0%9F%98%80", "QOS_E%0A", "qos_e%3B" })
        {
            cases.Add(new FuzzCase("path", $"GET profile {Short(name)}", "GET", Profiles + "/qos-profiles/" + name));
        }

        var unknown = new[]
        {
            "/", "/quality-on-demand", "/quality-on-demand/v1", "/quality-on-demand/v2/sessions", "/quality-on-demand/v1/session",
            Qod + "/sessions/" + uuid + "/extend/x", Qod + "/sessions/" + uuid + "/extends", Profiles + "/qos-profiles", Profiles + "/qos-profiles/QOS_E/x",
            Profiles + "/retrieve-qos-profile", "/_simulator", "/_simulator/nope", "/_simulator/stats/x", "//quality-on-demand/v1/sessions",
            Qod + "/sessions/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", Qod + "/sessions/%2e%2e/%2e%2e/%2e%2e/etc/passwd", Qod + "//sessions",
            Qod + "/sessions/..", "/index.html", "/favicon.ico", "/.env", Qod + "/sessions/%2F%2F", "/" + new string('u', 6000),
            "/quality-on-demand/v1/sessions/" + uuid + "/extend/../../../retrieve", "/%5C..%5C..%5Cwindows",
        };
        foreach (var path in unknown)
        {
            cases.Add(new FuzzCase("path", $"GET unknown {Short(path)}", "GET", path));
            cases.Add(new FuzzCase("path", $"DELETE unknown {Short(path)}", "DELETE", path));
            cases.Add(new FuzzCase("path", $"POST unknown {Short(path)} with a bad body", "POST", path) { Body = "{\"x\":"u8.ToArray() });
        }

        cases.Add(new FuzzCase("protocol", "10 KiB path", "GET", Qod + "/sessions/" + new string('a', 10 * 1024)) { ProtocolLevel = true });
        cases.Add(new FuzzCase("protocol", "%00 in the path", "GET", Qod + "/sessions/%00") { ProtocolLevel = true });
        cases.Add(new FuzzCase("protocol", "%00 in a profile name", "GET", Profiles + "/qos-profiles/QOS%00E") { ProtocolLevel = true });
    }

    private static void AddMethodCases(List<FuzzCase> cases, IReadOnlyList<string> existingIds)
    {
        var routes = new (string Path, string[] Methods)[]
        {
            (Qod + "/sessions", ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "FOO", "HEAD"]),
            (Qod + "/sessions/" + existingIds[0], ["POST", "PUT", "PATCH", "OPTIONS", "TRACE", "FOO", "HEAD"]),
            (Qod + "/sessions/" + existingIds[0] + "/extend", ["GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]),
            (Qod + "/retrieve-sessions", ["GET", "PUT", "PATCH", "DELETE", "HEAD"]),
            (Profiles + "/qos-profiles/QOS_E", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"]),
            (Profiles + "/retrieve-qos-profiles", ["GET", "PUT", "DELETE", "PATCH", "HEAD"]),
            ("/_simulator/stats", ["POST", "PUT", "DELETE", "PATCH", "HEAD"]),
            ("/_simulator/reset", ["GET", "PUT", "DELETE", "PATCH", "HEAD"]),
        };
        foreach (var (path, methods) in routes)
        {
            foreach (var method in methods)
            {
                cases.Add(new FuzzCase("method", $"{method} {path}", method, path)
                {
                    Body = method is "GET" or "HEAD" or "DELETE" or "OPTIONS" or "TRACE" ? null : "{\"requestedAdditionalDuration\":30}"u8.ToArray(),
                });
            }
        }
    }

    private static void AddRandomCases(List<FuzzCase> cases, BodyEndpoint[] endpoints, IReadOnlyList<string> existingIds, Random random, int count)
    {
        const string Disallowed = " !\"#$%&'()*+,=?@[\\]^`|~éß😀\u0001\u007F";
        for (var i = 0; i < count; i++)
        {
            var endpoint = endpoints[random.Next(endpoints.Length)];
            switch (random.Next(7))
            {
                case 0: // a random field with a random wrong value of its kind
                case 1:
                {
                    var field = endpoint.Fields[random.Next(endpoint.Fields.Length)];
                    var values = BadValues(field.Kind).Concat(field.NullIsBad ? ["null"] : []).ToArray();
                    var value = values[random.Next(values.Length)];
                    cases.Add(new FuzzCase("random-field", $"{endpoint.Name} {field.Path} = {Short(value)}", "POST", endpoint.PathOf())
                    {
                        Body = Render(endpoint.Valid(), field.Path, value),
                    });
                    break;
                }

                case 2: // random truncation or trailing garbage
                {
                    var valid = Encoding.UTF8.GetBytes(endpoint.Valid().ToJsonString());
                    if (random.Next(2) == 0)
                    {
                        var cut = random.Next(0, valid.Length);
                        cases.Add(new FuzzCase("random-malformed", $"{endpoint.Name} truncated at {cut}", "POST", endpoint.PathOf()) { Body = valid[..cut] });
                    }
                    else
                    {
                        var garbage = RandomBytes(random, random.Next(1, 64));
                        garbage[0] = (byte)"x}],:{[\"0"[random.Next(9)];
                        cases.Add(new FuzzCase("random-malformed", $"{endpoint.Name} + {garbage.Length} garbage bytes", "POST", endpoint.PathOf())
                        {
                            Body = [.. valid, .. garbage],
                        });
                    }

                    break;
                }

                case 3: // random bytes as the body (never starting an object)
                {
                    var bytes = RandomBytes(random, random.Next(1, 4096));
                    bytes[0] = (byte)"x[\"0-tn}]"[random.Next(9)];
                    cases.Add(new FuzzCase("random-bytes", $"{endpoint.Name} {bytes.Length} random bytes", "POST", endpoint.PathOf())
                    {
                        Body = bytes, ContentType = random.Next(3) == 0 ? null : "application/json",
                    });
                    break;
                }

                case 4: // random nesting depth or size past the limits
                {
                    if (random.Next(2) == 0)
                    {
                        var depth = random.Next(17, 3000);
                        cases.Add(new FuzzCase("random-nesting", $"{endpoint.Name} {endpoint.Fields[0].Path} nested {depth}", "POST", endpoint.PathOf())
                        {
                            Body = Render(endpoint.Valid(), endpoint.Fields[0].Path, Nested(depth)),
                        });
                    }
                    else
                    {
                        var size = random.Next(64 * 1024 + 1, 1536 * 1024);
                        cases.Add(new FuzzCase("random-oversized", $"{endpoint.Name} {size} bytes", "POST", endpoint.PathOf())
                        {
                            Body = Padded(endpoint.Valid(), size), Chunked = random.Next(2) == 0,
                        });
                    }

                    break;
                }

                case 5: // random bad correlator or key on a valid request
                {
                    var body = Encoding.UTF8.GetBytes(endpoint.Valid().ToJsonString());
                    if (random.Next(2) == 0)
                    {
                        var value = new StringBuilder();
                        var length = random.Next(1, 300);
                        for (var c = 0; c < length; c++)
                        {
                            value.Append((char)random.Next('0', 'z' + 1) is var ch && char.IsLetterOrDigit(ch) ? ch : 'c');
                        }

                        var bad = Disallowed[random.Next(Disallowed.Length)];
                        value.Insert(random.Next(value.Length + 1), char.IsSurrogate(bad) ? "😀" : bad.ToString());
                        cases.Add(new FuzzCase("random-correlator", $"{endpoint.Name} correlator with {Short(bad.ToString())}", "POST", endpoint.PathOf())
                        {
                            Body = body, Headers = [new("x-correlator", value.ToString())],
                        });
                    }
                    else
                    {
                        var key = new StringBuilder();
                        var length = random.Next(1, 200);
                        for (var c = 0; c < length; c++)
                        {
                            key.Append((char)random.Next(0x21, 0x7F));
                        }

                        var text = key.ToString() == Key ? Key + "x" : key.ToString();
                        cases.Add(new FuzzCase("random-key", $"{endpoint.Name} random key of {text.Length}", "POST", endpoint.PathOf()) { Body = body, ApiKey = text });
                    }

                    break;
                }

                default: // random session id or profile name
                {
                    var length = random.Next(1, 200);
                    var id = new StringBuilder();
                    for (var c = 0; c < length; c++)
                    {
                        id.Append(random.Next(4) == 0 ? $"%{random.Next(1, 256):X2}" : ((char)random.Next('a', 'z' + 1)).ToString());
                    }

                    var text = id.ToString();
                    if (random.Next(3) == 0)
                    {
                        cases.Add(new FuzzCase("random-path", $"GET profile {Short(text)}", "GET", Profiles + "/qos-profiles/" + text + "%20"));
                    }
                    else
                    {
                        var method = new[] { "GET", "DELETE", "POST" }[random.Next(3)];
                        var path = Qod + "/sessions/" + text + (method == "POST" ? "/extend" : string.Empty);
                        cases.Add(new FuzzCase("random-path", $"{method} session {Short(text)}", method, path)
                        {
                            Body = method == "POST" ? "{\"requestedAdditionalDuration\":30}"u8.ToArray() : null,
                        });
                    }

                    break;
                }
            }
        }
    }

    /// <summary>The valid body with the value at <paramref name="path"/> replaced by raw JSON text.</summary>
    private static byte[] Render(JsonObject body, string path, string rawJson)
    {
        Set(body, path, JsonValue.Create(Marker));
        return Splice(Encoding.UTF8.GetBytes(body.ToJsonString()), Q(Marker), Encoding.UTF8.GetBytes(rawJson));
    }

    private static byte[] Splice(byte[] text, string find, byte[] replacement)
    {
        var needle = Encoding.UTF8.GetBytes(find);
        var at = text.AsSpan().IndexOf(needle);
        if (at < 0)
        {
            throw new InvalidOperationException($"marker {find} not found");
        }

        return [.. text[..at], .. replacement, .. text[(at + needle.Length)..]];
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var segments = path.Split('.');
        JsonNode current = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var (name, index) = Segment(segments[i]);
            var last = i == segments.Length - 1;
            var obj = current.AsObject();
            if (index is null)
            {
                if (last)
                {
                    obj[name] = value;
                    return;
                }

                current = obj[name] ??= new JsonObject();
            }
            else
            {
                var array = obj[name]!.AsArray();
                if (last)
                {
                    array[index.Value] = value;
                    return;
                }

                current = array[index.Value]!;
            }
        }
    }

    private static JsonObject Remove(JsonObject root, string path)
    {
        var parentPath = path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : null;
        var parent = parentPath is null ? root : parentPath.Split('.').Aggregate((JsonNode)root, (node, s) => node[s]!);
        parent.AsObject().Remove(Leaf(path));
        return root;
    }

    private static (string Name, int? Index) Segment(string segment)
    {
        var bracket = segment.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? (segment, null) : (segment[..bracket], int.Parse(segment[(bracket + 1)..^1], CultureInfo.InvariantCulture));
    }

    private static string Leaf(string path) => Segment(path.Split('.')[^1]).Name;

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    /// <summary>The valid body padded with an unknown property to exactly <paramref name="size"/> bytes.</summary>
    private static byte[] Padded(JsonObject body, int size)
    {
        var prefix = Encoding.UTF8.GetBytes(body.ToJsonString()[..^1] + ",\"padding\":\"");
        var padding = Math.Max(0, size - prefix.Length - 2);
        var bytes = new byte[prefix.Length + padding + 2];
        prefix.CopyTo(bytes, 0);
        bytes.AsSpan(prefix.Length, padding).Fill((byte)'p');
        bytes[^2] = (byte)'"';
        bytes[^1] = (byte)'}';
        return bytes;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Q(string s) => JsonValue.Create(s)!.ToJsonString();

    private static string Hex(byte[] bytes) => string.Join(" ", bytes.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    private static string Short(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 40 ? clean : clean[..40] + $"...({clean.Length} chars)";
    }
}
