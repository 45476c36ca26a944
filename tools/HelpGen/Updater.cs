using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HelpGen
{
    /// <summary>
    /// Brings the markdown up to date with the assembly: new files for new cmdlets, SYNTAX and parameter
    /// yaml rewritten, placeholders for new parameters, INPUTS and OUTPUTS types added. Prose is kept;
    /// the checks then fail on every placeholder until someone writes it.
    /// </summary>
    internal static class Updater
    {
        private const string Todo = "{{ Fill in }}";

        public static void Update(List<CmdletMeta> cmdlets, string docs, string module, string helpFile)
        {
            foreach (var c in cmdlets)
            {
                string path = Path.Combine(docs, c.Name + ".md");
                if (!File.Exists(path))
                {
                    File.WriteAllText(path, Skeleton(c, module, helpFile));
                    Console.WriteLine($"HelpGen: created {path}; write its prose.");
                }
                var doc = MarkdownDoc.Load(path);
                foreach (string s in Checker.Sections)
                    if (doc.Get(s) == null) Insert(doc, new Section { Name = s, Intro = new List<string> { Todo } });

                var syntax = doc.Get("SYNTAX")!;
                syntax.Intro.Clear();
                syntax.Blocks.Clear();
                foreach (string set in c.SetNames)
                    syntax.Blocks.Add(new Block
                    {
                        Heading = Render.SetHeading(c, set),
                        Lines = new List<string> { "```", Render.SyntaxLine(c, set), "```" },
                    });

                var parameters = doc.Get("PARAMETERS")!;
                var old = parameters.Blocks.Where(b => b.Heading.StartsWith("-", StringComparison.Ordinal))
                    .GroupBy(b => b.Heading.Substring(1), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
                parameters.Intro.Clear();
                parameters.Blocks.Clear();
                foreach (var p in c.DisplayOrder())
                {
                    var prose = old.TryGetValue(p.Name, out var before) ? MarkdownDoc.ProseBeforeYaml(before.Lines) : new List<string>();
                    if (prose.Count == 0) prose.Add(Todo);
                    string defaultValue = before != null ? Render.DefaultValue(MarkdownDoc.YamlBlocks(before.Lines)) : "None";
                    var lines = new List<string>(prose);
                    foreach (var yaml in Render.Yaml(c, p, defaultValue))
                    {
                        lines.Add("");
                        lines.Add("```yaml");
                        lines.AddRange(yaml);
                        lines.Add("```");
                    }
                    parameters.Blocks.Add(new Block { Heading = "-" + p.Name, Lines = lines });
                }
                foreach (string gone in old.Keys.Where(k => !c.Parameters.Any(p => p.Name.Equals(k, StringComparison.OrdinalIgnoreCase))))
                    Console.WriteLine($"HelpGen: removed -{gone} from {doc.FileName}: {c.Name} has no such parameter.");
                parameters.Blocks.Add(new Block { Heading = "CommonParameters", Lines = new List<string> { Render.CommonParametersText } });

                var inputs = doc.Get("INPUTS")!;
                foreach (var p in c.Parameters.Where(p => p.Sets.Values.Any(b => b.ByValue)))
                {
                    string type = p.TypeFullName.EndsWith("[]", StringComparison.Ordinal) ? p.TypeFullName[..^2] : p.TypeFullName;
                    if (!inputs.Blocks.Any(b => b.Heading == type || b.Heading == type + "[]"))
                        inputs.Blocks.Add(new Block { Heading = type, Lines = new List<string> { Todo } });
                }
                var outputs = doc.Get("OUTPUTS")!;
                foreach (string type in c.OutputTypes)
                    if (!outputs.Blocks.Any(b => b.Heading == type))
                        outputs.Blocks.Add(new Block { Heading = type, Lines = new List<string> { Todo } });
                doc.Save();
            }
        }

        private static void Insert(MarkdownDoc doc, Section section)
        {
            int rank = Array.IndexOf(Checker.Sections, section.Name);
            int at = doc.Sections.FindIndex(s => Array.IndexOf(Checker.Sections, s.Name) > rank);
            if (at < 0) doc.Sections.Add(section);
            else doc.Sections.Insert(at, section);
        }

        private static string Skeleton(CmdletMeta c, string module, string helpFile) =>
            $"---\nexternal help file: {helpFile}\nModule Name: {module}\nonline version:\nschema: 2.0.0\n---\n\n# {c.Name}\n\n" +
            $"## SYNOPSIS\n\n{Todo}\n\n## SYNTAX\n\n## DESCRIPTION\n\n{Todo}\n\n## EXAMPLES\n\n" +
            $"### Example 1: {Todo}\n\n```powershell\n{c.Name}\n```\n\n{Todo}\n\n### Example 2: {Todo}\n\n```powershell\n{c.Name}\n```\n\n{Todo}\n\n" +
            $"## PARAMETERS\n\n## INPUTS\n\n### None\n\n{Todo}\n\n## OUTPUTS\n\n## NOTES\n\n## RELATED LINKS\n\n[about_{module}](about_{module}.md)\n";
    }
}
