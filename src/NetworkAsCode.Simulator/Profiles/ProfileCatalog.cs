using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace NetworkAsCode.Simulator.Profiles;

/// <summary>A data rate (<c>Rate</c>): value 0..1024 with a unit.</summary>
public readonly record struct Rate(int Value, string Unit)
{
    public JsonObject ToJson() => new() { ["value"] = Value, ["unit"] = Unit };
}

/// <summary>A CAMARA <c>QosProfile</c>.</summary>
public sealed record QosProfile(
    string Name,
    string Description,
    string Status,
    Rate? TargetMinUpstreamRate,
    Rate? MaxUpstreamRate,
    Rate? TargetMinDownstreamRate,
    Rate? MaxDownstreamRate,
    int MinDurationSeconds,
    int MaxDurationSeconds,
    int Priority,
    int PacketDelayBudgetMs,
    int JitterMs,
    int PacketErrorLossRate)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["name"] = Name,
            ["description"] = Description,
            ["status"] = Status,
        };
        Add(json, "targetMinUpstreamRate", TargetMinUpstreamRate);
        Add(json, "maxUpstreamRate", MaxUpstreamRate);
        Add(json, "targetMinDownstreamRate", TargetMinDownstreamRate);
        Add(json, "maxDownstreamRate", MaxDownstreamRate);
        json["minDuration"] = Duration(MinDurationSeconds, "Seconds");
        json["maxDuration"] = Duration(MaxDurationSeconds, "Seconds");
        json["priority"] = Priority;
        json["packetDelayBudget"] = Duration(PacketDelayBudgetMs, "Milliseconds");
        json["jitter"] = Duration(JitterMs, "Milliseconds");
        json["packetErrorLossRate"] = PacketErrorLossRate;
        return json;
    }

    private static JsonObject Duration(int value, string unit) => new() { ["value"] = value, ["unit"] = unit };

    private static void Add(JsonObject json, string name, Rate? rate)
    {
        if (rate is not null)
        {
            json[name] = rate.Value.ToJson();
        }
    }
}

/// <summary>
/// The profiles the simulator serves: the 9 NaC labels DOWNLINK_{S,M,L}_UPLINK_{S,M,L} and the CAMARA QOS_E/S/M/L.
/// All are ACTIVE and allow sessions of 1..86,400 s.
/// </summary>
public sealed class ProfileCatalog
{
    public const int DefaultMinDurationSeconds = 1;
    public const int DefaultMaxDurationSeconds = 86_400;

    private readonly Dictionary<string, QosProfile> _byName;

    public ProfileCatalog(IEnumerable<QosProfile> profiles)
    {
        All = profiles.ToList();
        _byName = All.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<QosProfile> All { get; }

    public static ProfileCatalog CreateDefault() => new(BuiltIn());

    public QosProfile? Find(string name) => _byName.GetValueOrDefault(name);

    private static IEnumerable<QosProfile> BuiltIn()
    {
        // Bandwidth per size: downlink S/M/L = 5/25/100 Mbps, uplink S/M/L = 2/10/50 Mbps (simulated values).
        var sizes = new (string Label, string Word, int Down, int Up)[]
        {
            ("S", "small", 5, 2),
            ("M", "medium", 25, 10),
            ("L", "large", 100, 50),
        };
        var priority = 20;
        foreach (var down in sizes)
        {
            foreach (var up in sizes)
            {
                yield return new QosProfile(
                    $"DOWNLINK_{down.Label}_UPLINK_{up.Label}",
                    $"{Capitalize(down.Word)} downlink and {up.Word} uplink bandwidth; the connection is prioritised to stay stable at that level.",
                    "ACTIVE",
                    TargetMinUpstreamRate: new Rate(up.Up, "Mbps"),
                    MaxUpstreamRate: new Rate(up.Up * 2, "Mbps"),
                    TargetMinDownstreamRate: new Rate(down.Down, "Mbps"),
                    MaxDownstreamRate: new Rate(down.Down * 2, "Mbps"),
                    DefaultMinDurationSeconds,
                    DefaultMaxDurationSeconds,
                    Priority: priority++,
                    PacketDelayBudgetMs: 100,
                    JitterMs: 20,
                    PacketErrorLossRate: 3);
            }
        }

        yield return new QosProfile("QOS_E", "Stable latency under congestion, limited bandwidth.", "ACTIVE",
            new Rate(500, "kbps"), new Rate(500, "kbps"), new Rate(500, "kbps"), new Rate(500, "kbps"),
            DefaultMinDurationSeconds, DefaultMaxDurationSeconds, Priority: 10, PacketDelayBudgetMs: 50, JitterMs: 5, PacketErrorLossRate: 4);
        yield return new QosProfile("QOS_S", "Throughput prioritised up to a lower limit.", "ACTIVE",
            new Rate(1, "Mbps"), new Rate(2, "Mbps"), new Rate(4, "Mbps"), new Rate(4, "Mbps"),
            DefaultMinDurationSeconds, DefaultMaxDurationSeconds, Priority: 40, PacketDelayBudgetMs: 150, JitterMs: 30, PacketErrorLossRate: 3);
        yield return new QosProfile("QOS_M", "Throughput prioritised up to a medium limit.", "ACTIVE",
            new Rate(2, "Mbps"), new Rate(4, "Mbps"), new Rate(8, "Mbps"), new Rate(8, "Mbps"),
            DefaultMinDurationSeconds, DefaultMaxDurationSeconds, Priority: 35, PacketDelayBudgetMs: 150, JitterMs: 30, PacketErrorLossRate: 3);
        yield return new QosProfile("QOS_L", "Throughput prioritised up to a higher limit.", "ACTIVE",
            new Rate(5, "Mbps"), new Rate(10, "Mbps"), new Rate(20, "Mbps"), new Rate(20, "Mbps"),
            DefaultMinDurationSeconds, DefaultMaxDurationSeconds, Priority: 30, PacketDelayBudgetMs: 150, JitterMs: 30, PacketErrorLossRate: 3);
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
