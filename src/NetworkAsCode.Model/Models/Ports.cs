using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetworkAsCode
{
    /// <summary>An inclusive port range. The string "80-443" converts to one (and "80" to 80-80).</summary>
    public sealed class PortRange : IEquatable<PortRange>
    {
        public PortRange(int from, int to)
        {
            if (NacValidation.CheckPort("From", from) != null || NacValidation.CheckPort("To", to) != null)
                throw new NacValidationException("PortRange",
                    $"Port range {from}-{to} is out of range: each port is {NacValidation.MinPort} to {NacValidation.MaxPort}.");
            if (from > to)
                throw new NacValidationException("PortRange", $"Port range {from}-{to} is reversed: the first port must not be greater than the last.");
            From = from;
            To = to;
        }

        /// <summary>Parses "from-to" or a single port. PowerShell uses this constructor to convert strings.</summary>
        public PortRange(string text) : this(ParseBounds(text)) { }

        private PortRange((int from, int to) bounds) : this(bounds.from, bounds.to) { }

        public int From { get; }
        public int To { get; }

        public static PortRange Parse(string text) => new PortRange(text);

        public override string ToString() => From == To ? From.ToString(CultureInfo.InvariantCulture) : $"{From}-{To}";
        public bool Equals(PortRange? other) => other != null && other.From == From && other.To == To;
        public override bool Equals(object? obj) => Equals(obj as PortRange);
        public override int GetHashCode() => (From * 65536) ^ To;

        private static (int from, int to) ParseBounds(string? text)
        {
            string value = (text ?? "").Trim();
            int dash = value.IndexOf('-', 1 < value.Length ? 1 : 0);
            string first = dash < 0 ? value : value.Substring(0, dash).Trim();
            string last = dash < 0 ? value : value.Substring(dash + 1).Trim();
            if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int from) &&
                int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int to))
                return (from, to);
            throw new NacValidationException("PortRange",
                $"'{text}' is not a port range: write two ports 0-65535 joined by '-', for example 80-443.");
        }
    }

    /// <summary>The ports of one side of a flow: single ports and/or ranges. Either may be empty.</summary>
    public sealed class PortsSpec
    {
        public PortsSpec(IEnumerable<int>? ports, IEnumerable<PortRange>? ranges)
        {
            Ports = ports?.ToArray() ?? Array.Empty<int>();
            Ranges = ranges?.ToArray() ?? Array.Empty<PortRange>();
        }

        public int[] Ports { get; }
        public PortRange[] Ranges { get; }

        internal bool IsEmpty => Ports.Length == 0 && Ranges.Length == 0;

        /// <summary>Builds a spec from cmdlet input, checking each port; null when nothing was given.</summary>
        public static PortsSpec? From(string parameter, IEnumerable<int>? ports, IEnumerable<PortRange>? ranges)
        {
            int[] portList = ports?.ToArray() ?? Array.Empty<int>();
            foreach (int port in portList) NacValidation.Require(parameter, NacValidation.CheckPort(parameter, port));
            var spec = new PortsSpec(portList, ranges);
            return spec.IsEmpty ? null : spec;
        }

        public override string ToString() =>
            string.Join(", ", Ports.Select(p => p.ToString(CultureInfo.InvariantCulture)).Concat(Ranges.Select(r => r.ToString())));
    }
}
