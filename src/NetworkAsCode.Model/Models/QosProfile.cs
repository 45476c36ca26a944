namespace NetworkAsCode
{
    /// <summary>
    /// A QoS profile: a label to pass to New-NacQodSession -Profile, what it means, and, where the
    /// platform's qos-profiles API answered, its CAMARA attributes (rates, durations, latency).
    /// Rates read like "20 Mbps" and durations like "50 Milliseconds", as the API gives them.
    /// </summary>
    public sealed class QosProfile
    {
        public QosProfile(string name, string? description, string source)
        {
            Name = name;
            Description = description;
            Source = source;
        }

        public string Name { get; }
        public string? Description { get; internal set; }

        /// <summary>ACTIVE, INACTIVE or DEPRECATED when the server said; null for a built-in entry.</summary>
        public string? Status { get; internal set; }

        /// <summary>"Built-in" (the module's own list) or "Server" (the qos-profiles API answered for it).</summary>
        public string Source { get; internal set; }

        public string? TargetMinDownstreamRate { get; internal set; }
        public string? MaxDownstreamRate { get; internal set; }
        public string? MaxDownstreamBurstRate { get; internal set; }
        public string? TargetMinUpstreamRate { get; internal set; }
        public string? MaxUpstreamRate { get; internal set; }
        public string? MaxUpstreamBurstRate { get; internal set; }
        public string? MinDuration { get; internal set; }
        public string? MaxDuration { get; internal set; }
        public string? PacketDelayBudget { get; internal set; }
        public string? Jitter { get; internal set; }

        /// <summary>1 (highest) to 100.</summary>
        public int? Priority { get; internal set; }

        /// <summary>The exponent N of the packet error loss rate 10^-N.</summary>
        public int? PacketErrorLossRate { get; internal set; }

        public string? L4sQueueType { get; internal set; }
        public string? ServiceClass { get; internal set; }

        public override string ToString() => Name;

        /// <summary>The documented labels, as profiles without server attributes.</summary>
        public static QosProfile[] BuiltIn()
        {
            var list = new QosProfile[QosProfileLabels.All.Count];
            for (int i = 0; i < list.Length; i++)
                list[i] = new QosProfile(QosProfileLabels.All[i].Key, QosProfileLabels.All[i].Value, "Built-in");
            return list;
        }

        /// <summary>Fills in what the server said of the same profile; keeps the built-in description if the server gave none.</summary>
        public void MergeFrom(QosProfile server)
        {
            Description = string.IsNullOrEmpty(server.Description) ? Description : server.Description;
            Status = server.Status;
            Source = server.Source;
            TargetMinDownstreamRate = server.TargetMinDownstreamRate;
            MaxDownstreamRate = server.MaxDownstreamRate;
            MaxDownstreamBurstRate = server.MaxDownstreamBurstRate;
            TargetMinUpstreamRate = server.TargetMinUpstreamRate;
            MaxUpstreamRate = server.MaxUpstreamRate;
            MaxUpstreamBurstRate = server.MaxUpstreamBurstRate;
            MinDuration = server.MinDuration;
            MaxDuration = server.MaxDuration;
            PacketDelayBudget = server.PacketDelayBudget;
            Jitter = server.Jitter;
            Priority = server.Priority;
            PacketErrorLossRate = server.PacketErrorLossRate;
            L4sQueueType = server.L4sQueueType;
            ServiceClass = server.ServiceClass;
        }
    }
}
