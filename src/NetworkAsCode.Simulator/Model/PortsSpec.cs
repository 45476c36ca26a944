using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace NetworkAsCode.Simulator.Model;

/// <summary>An inclusive port range.</summary>
public readonly record struct PortRange(int From, int To);

/// <summary>CAMARA <c>PortsSpec</c>: single ports and/or ranges (at least one of them).</summary>
public sealed class PortsSpec
{
    public PortsSpec(IReadOnlyList<int>? ports, IReadOnlyList<PortRange>? ranges)
    {
        Ports = ports;
        Ranges = ranges;
    }

    public IReadOnlyList<int>? Ports { get; }

    public IReadOnlyList<PortRange>? Ranges { get; }

    private IEnumerable<PortRange> AllRanges =>
        (Ranges ?? []).Concat((Ports ?? []).Select(p => new PortRange(p, p)));

    /// <summary>True when the two specs share a port. A missing spec (null) means "all ports".</summary>
    public static bool Intersect(PortsSpec? a, PortsSpec? b)
    {
        if (a is null || b is null)
        {
            return true;
        }

        return a.AllRanges.Any(x => b.AllRanges.Any(y => x.From <= y.To && y.From <= x.To));
    }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Ranges is not null)
        {
            json["ranges"] = new JsonArray(Ranges.Select(r => (JsonNode)new JsonObject { ["from"] = r.From, ["to"] = r.To }).ToArray());
        }

        if (Ports is not null)
        {
            json["ports"] = new JsonArray(Ports.Select(p => (JsonNode)JsonValue.Create(p)).ToArray());
        }

        return json;
    }
}
