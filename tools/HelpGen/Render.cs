using System;
using System.Collections.Generic;
using System.Linq;

namespace HelpGen
{
    /// <summary>The parts of a page that come from the assembly: SYNTAX lines and parameter yaml, platyPS 0.14 style.</summary>
    internal static class Render
    {
        public const string CommonParametersText =
            "This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, " +
            "-InformationVariable, -OutVariable, -OutBuffer, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and -WarningVariable. " +
            "For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).";

        /// <summary>The heading of a set under SYNTAX: "ById", "ByObject (Default)" or "__AllParameterSets".</summary>
        public static string SetHeading(CmdletMeta c, string set) =>
            set == CmdletMeta.AllSets || c.SetNames.Count == 1 || set != c.DefaultSet ? set : set + " (Default)";

        public static string SyntaxLine(CmdletMeta c, string set)
        {
            var parts = new List<string> { c.Name };
            foreach (var (p, b) in c.InSet(set))
            {
                string name = b.Position.HasValue ? $"[-{p.Name}]" : $"-{p.Name}";
                string text = p.IsSwitch ? $"-{p.Name}" : $"{name} <{p.TypeName}>";
                parts.Add(b.Mandatory ? text : $"[{text}]");
            }
            parts.Add("[<CommonParameters>]");
            return string.Join(" ", parts);
        }

        public static List<string> SyntaxSection(CmdletMeta c)
        {
            var lines = new List<string>();
            foreach (string set in c.SetNames)
            {
                if (lines.Count > 0) lines.Add("");
                lines.Add("### " + SetHeading(c, set));
                lines.Add("");
                lines.Add("```");
                lines.Add(SyntaxLine(c, set));
                lines.Add("```");
            }
            return lines;
        }

        public static string PipelineText(SetBinding b) =>
            b.ByValue && b.ByPropertyName ? "True (ByPropertyName, ByValue)"
            : b.ByValue ? "True (ByValue)"
            : b.ByPropertyName ? "True (ByPropertyName)"
            : "False";

        /// <summary>One yaml block per distinct binding: a parameter that is mandatory in one set and not in another gets two.</summary>
        public static List<List<string>> Yaml(CmdletMeta c, ParameterMeta p, string defaultValue)
        {
            var groups = new List<(SetBinding binding, List<string> sets)>();
            var memberSets = c.SetNames.Where(s => CmdletMeta.BindingIn(p, s) != null).ToList();
            foreach (string set in memberSets)
            {
                var b = CmdletMeta.BindingIn(p, set)!;
                var g = groups.FirstOrDefault(x => x.binding == b);
                if (g.sets == null) groups.Add((b, new List<string> { set }));
                else g.sets.Add(set);
            }
            var blocks = new List<List<string>>();
            foreach (var (binding, sets) in groups)
            {
                bool all = sets.Count == c.SetNames.Count;
                var y = new List<string>
                {
                    "Type: " + p.TypeName,
                    "Parameter Sets: " + (all ? "(All)" : string.Join(", ", sets)),
                    "Aliases:" + (p.Aliases.Count > 0 ? " " + string.Join(", ", p.Aliases) : ""),
                };
                if (p.AcceptedValues.Count > 0) y.Add("Accepted values: " + string.Join(", ", p.AcceptedValues));
                y.Add("");
                y.Add("Required: " + (binding.Mandatory ? "True" : "False"));
                y.Add("Position: " + (binding.Position.HasValue ? binding.Position.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Named"));
                y.Add("Default value: " + defaultValue);
                y.Add("Accept pipeline input: " + PipelineText(binding));
                y.Add("Accept wildcard characters: " + (p.Wildcards ? "True" : "False"));
                blocks.Add(y);
            }
            return blocks;
        }

        /// <summary>The "Default value" the author wrote in the first yaml block, else None.</summary>
        public static string DefaultValue(List<List<string>> yamlBlocks)
        {
            foreach (var block in yamlBlocks)
                foreach (string line in block)
                    if (line.StartsWith("Default value:", StringComparison.OrdinalIgnoreCase))
                    {
                        string v = line.Substring("Default value:".Length).Trim();
                        return v.Length == 0 ? "None" : v;
                    }
            return "None";
        }

        /// <summary>Yaml lines without the author's default value, for comparing with the assembly.</summary>
        public static string Comparable(IEnumerable<string> yaml) =>
            string.Join("\n", yaml.Select(l => l.TrimEnd()).Where(l => l.Length > 0 && !l.StartsWith("Default value:", StringComparison.OrdinalIgnoreCase)));
    }
}
