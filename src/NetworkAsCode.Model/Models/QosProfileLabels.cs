using System.Collections.Generic;

namespace NetworkAsCode
{
    /// <summary>
    /// The QoS profile labels Network as Code documents: nine DOWNLINK_x_UPLINK_y labels and the four
    /// CAMARA labels. Operators may add others; any name matching the CAMARA pattern is accepted.
    /// </summary>
    public static class QosProfileLabels
    {
        private static readonly string[] Sizes = { "S", "M", "L" };
        private static readonly Dictionary<string, string> SizeWords = new Dictionary<string, string>
        {
            ["S"] = "small", ["M"] = "medium", ["L"] = "large",
        };

        public static IReadOnlyList<KeyValuePair<string, string>> All { get; } = Build();

        private static IReadOnlyList<KeyValuePair<string, string>> Build()
        {
            var list = new List<KeyValuePair<string, string>>();
            foreach (string down in Sizes)
                foreach (string up in Sizes)
                    list.Add(new KeyValuePair<string, string>(
                        $"DOWNLINK_{down}_UPLINK_{up}",
                        $"{Capital(SizeWords[down])} downlink and {SizeWords[up]} uplink bandwidth; the connection is prioritised to stay stable at that level."));
            list.Add(new KeyValuePair<string, string>("QOS_E", "Stable latency under congestion, with limited bandwidth."));
            list.Add(new KeyValuePair<string, string>("QOS_S", "Throughput prioritised up to a lower limit."));
            list.Add(new KeyValuePair<string, string>("QOS_M", "Throughput prioritised up to a medium limit."));
            list.Add(new KeyValuePair<string, string>("QOS_L", "Throughput prioritised up to a higher limit."));
            return list;
        }

        private static string Capital(string word) => char.ToUpperInvariant(word[0]) + word.Substring(1);
    }
}
