using System;
using System.Globalization;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NetworkAsCode.Conformance.Engine;

/// <summary>The per-property conditions the suite puts on a <c>SessionInfo</c> beyond its schema.</summary>
public static partial class SessionRules
{
    public static void Check(ScenarioContext c, JsonObject session, string property, string rule, string what)
    {
        var name = property.StartsWith("$.", StringComparison.Ordinal) ? property[2..] : property;
        // The reference request: the body just sent to createSession, else the body the session under test was created with.
        var reference = c.Operation.Name == "createSession" && c.SentBody is JsonObject sent ? sent : c.SessionRequest
            ?? throw ScenarioContext.Fail("no createSession request to compare with");
        var inResponse = session.TryGetPropertyValue(name, out var actual);
        var inRequest = reference.TryGetPropertyValue(name, out var requested);
        var status = (string?)session["qosStatus"];
        var normalized = rule.Trim();

        if (EchoIfProvided().IsMatch(normalized))
        {
            if (inResponse && !inRequest)
            {
                throw ScenarioContext.Fail($"{what}: {name} exists but was not provided for createSession");
            }

            if (inRequest && !inResponse)
            {
                throw ScenarioContext.Fail($"{what}: {name} was provided for createSession but is not returned");
            }

            if (inRequest)
            {
                ExpectSame(name, requested, actual, what);
            }

            return;
        }

        if (SameValue().IsMatch(normalized))
        {
            if (!inResponse || !inRequest)
            {
                throw ScenarioContext.Fail($"{what}: {name} is missing (request: {inRequest}, response: {inResponse})");
            }

            ExpectSame(name, requested, actual, what);
            return;
        }

        var m = StartedAtRule().Match(normalized);
        if (m.Success)
        {
            if (inResponse)
            {
                if (status != m.Groups["s"].Value)
                {
                    throw ScenarioContext.Fail($"{what}: {name} exists but qosStatus is {status}");
                }

                if (Time(actual, name) > DateTimeOffset.UtcNow.AddSeconds(1))
                {
                    throw ScenarioContext.Fail($"{what}: {name} {actual} is not in the past");
                }
            }

            return;
        }

        m = ExpiresAtRule().Match(normalized);
        if (m.Success)
        {
            if (inResponse)
            {
                if (status == m.Groups["s"].Value)
                {
                    throw ScenarioContext.Fail($"{what}: {name} exists while qosStatus is {status}");
                }

                var other = m.Groups["o"].Value;
                if (session.TryGetPropertyValue(other, out var started) && Time(actual, name) <= Time(started, other))
                {
                    throw ScenarioContext.Fail($"{what}: {name} {actual} is not later than {other} {started}");
                }
            }

            return;
        }

        m = OnlyIfStatus().Match(normalized);
        if (m.Success)
        {
            if (inResponse && status != m.Groups["s"].Value)
            {
                throw ScenarioContext.Fail($"{what}: {name} exists but qosStatus is {status}");
            }

            return;
        }

        throw ScenarioContext.Fail($"unknown property rule: '{rule}'");
    }

    private static void ExpectSame(string name, JsonNode? requested, JsonNode? actual, string what)
    {
        if (name == "device")
        {
            // DeviceResponse: exactly one of the identifiers sent, with the value sent (CAMARA v1.1, maxProperties 1).
            if (actual is not JsonObject returned || requested is not JsonObject sent || returned.Count == 0
                || returned.Any(p => !sent.TryGetPropertyValue(p.Key, out var v) || !JsonNode.DeepEquals(v, p.Value)))
            {
                throw ScenarioContext.Fail($"{what}: device {actual?.ToJsonString()} is not an identifier of the device sent {requested?.ToJsonString()}");
            }

            return;
        }

        if (!JsonNode.DeepEquals(requested, actual))
        {
            throw ScenarioContext.Fail($"{what}: {name} is {actual?.ToJsonString()}, expected {requested?.ToJsonString()}");
        }
    }

    private static DateTimeOffset Time(JsonNode? node, string name) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t
            : throw ScenarioContext.Fail($"{name} is not a date-time: {node?.ToJsonString()}");

    [GeneratedRegex(@"^exists only if provided (in the request body|for createSession) and with the same value$")]
    private static partial Regex EchoIfProvided();

    [GeneratedRegex(@"^(has the )?same value as in the request body$|^has the value provided for createSession$")]
    private static partial Regex SameValue();

    [GeneratedRegex(@"^exists only if ""(\$\.)?qosStatus"" is ""(?<s>[A-Z]+)"" and (the )?value is in the past$")]
    private static partial Regex StartedAtRule();

    [GeneratedRegex(@"^exists only if ""(\$\.)?qosStatus"" is not ""(?<s>[A-Z]+)"" and (the value is )?later than ""(\$\.)?(?<o>\w+)""$")]
    private static partial Regex ExpiresAtRule();

    [GeneratedRegex(@"^exists only if ""(\$\.)?qosStatus"" is ""(?<s>[A-Z]+)""$")]
    private static partial Regex OnlyIfStatus();
}
