using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HelpGen
{
    internal sealed record Example(string Title, string Code, List<string> Remarks);

    internal sealed record TypeNote(string Type, List<string> Description);

    /// <summary>A cmdlet's help: prose from the markdown, metadata from the assembly.</summary>
    internal sealed class CommandPage
    {
        public CmdletMeta Meta { get; init; } = null!;
        public List<string> Synopsis { get; init; } = new();
        public List<string> Description { get; init; } = new();
        public List<Example> Examples { get; } = new();
        public Dictionary<string, (List<string> description, string defaultValue)> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);
        public List<TypeNote> Inputs { get; } = new();
        public List<TypeNote> Outputs { get; } = new();
        public List<string> Notes { get; init; } = new();
        public List<(string text, string uri)> Links { get; } = new();
        public string? OnlineVersion { get; init; }
    }

    internal static class Checker
    {
        public static readonly string[] Sections =
            { "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };

        public static List<CommandPage> Check(List<CmdletMeta> cmdlets, string docs, string module, string helpFile, List<string> problems)
        {
            var pages = new List<CommandPage>();
            var names = new HashSet<string>(cmdlets.Select(c => c.Name), StringComparer.OrdinalIgnoreCase);
            foreach (string file in Directory.GetFiles(docs, "*.md").OrderBy(f => f, StringComparer.Ordinal))
            {
                string name = Path.GetFileNameWithoutExtension(file);
                if (!name.StartsWith("about_", StringComparison.OrdinalIgnoreCase) && !names.Contains(name))
                    problems.Add($"{Path.GetFileName(file)} documents a cmdlet '{name}' that {module} does not have: remove or rename the file.");
            }
            foreach (var c in cmdlets)
            {
                string path = Path.Combine(docs, c.Name + ".md");
                if (!File.Exists(path))
                {
                    problems.Add($"{c.Name} has no help: {path} is missing.");
                    continue;
                }
                var page = CheckPage(c, MarkdownDoc.Load(path), module, helpFile, problems);
                if (page != null) pages.Add(page);
            }
            return pages;
        }

        private static CommandPage? CheckPage(CmdletMeta c, MarkdownDoc doc, string module, string helpFile, List<string> problems)
        {
            string f = doc.FileName;
            int before = problems.Count;
            void Problem(string text) => problems.Add($"{f}: {text}");

            if (doc.Front("external help file") != helpFile) Problem($"the front matter needs 'external help file: {helpFile}'.");
            if (doc.Front("Module Name") != module) Problem($"the front matter needs 'Module Name: {module}'.");
            if (doc.Front("schema") != "2.0.0") Problem("the front matter needs 'schema: 2.0.0'.");
            if (doc.Front("online version") == null) Problem("the front matter needs an 'online version:' line (it may be empty).");
            if (!string.Equals(doc.Title, c.Name, StringComparison.Ordinal)) Problem($"the title must be '# {c.Name}', not '# {doc.Title}'.");
            foreach (string s in Sections)
                if (doc.Get(s) == null) Problem($"the section '## {s}' is missing.");
            foreach (var s in doc.Sections)
                if (!Sections.Contains(s.Name)) Problem($"'## {s.Name}' is not a platyPS section ({string.Join(", ", Sections)}).");
            if (problems.Count > before) return null;

            var synopsis = doc.Get("SYNOPSIS")!.Intro;
            if (synopsis.Count == 0 || MarkdownDoc.IsPlaceholder(synopsis)) Problem("the SYNOPSIS is empty or a placeholder.");
            var description = doc.Get("DESCRIPTION")!.Intro;
            if (description.Count == 0 || MarkdownDoc.IsPlaceholder(description)) Problem("the DESCRIPTION is empty or a placeholder.");

            // SYNTAX must be what the assembly gives.
            var syntax = doc.Get("SYNTAX")!;
            var expected = c.SetNames.Select(s => (Render.SetHeading(c, s), Render.SyntaxLine(c, s))).ToList();
            var actual = syntax.Blocks.Select(b => (b.Heading, string.Join(" ", MarkdownDoc.SplitCode(b.Lines).code?.Split('\n').Select(l => l.Trim()) ?? Array.Empty<string>()).Trim())).ToList();
            if (!expected.SequenceEqual(actual))
                Problem("SYNTAX does not match the cmdlet. Expected:\n" + string.Join("\n", expected.Select(e => $"      ### {e.Item1}: {e.Item2}")));

            var page = new CommandPage
            {
                Meta = c,
                Synopsis = synopsis,
                Description = description,
                Notes = doc.Get("NOTES")!.Intro,
                OnlineVersion = doc.Front("online version"),
            };

            var examples = doc.Get("EXAMPLES")!;
            foreach (var b in examples.Blocks)
            {
                if (!b.Heading.StartsWith("Example", StringComparison.OrdinalIgnoreCase)) { Problem($"'### {b.Heading}' under EXAMPLES must start with 'Example'."); continue; }
                var (code, remarks) = MarkdownDoc.SplitCode(b.Lines);
                if (string.IsNullOrWhiteSpace(code)) Problem($"'{b.Heading}' has no fenced code block.");
                else if (remarks.Count == 0 || MarkdownDoc.IsPlaceholder(remarks)) Problem($"'{b.Heading}' needs an explanation after its code.");
                else page.Examples.Add(new Example(b.Heading, code!, remarks));
            }
            if (examples.Blocks.Count < 2) Problem($"EXAMPLES has {examples.Blocks.Count} example(s): at least 2 are needed.");

            // Every parameter documented, nothing documented that does not exist, yaml as the assembly says.
            var documented = new Dictionary<string, Block>(StringComparer.OrdinalIgnoreCase);
            foreach (var b in doc.Get("PARAMETERS")!.Blocks)
            {
                if (b.Heading == "CommonParameters") continue;
                if (!b.Heading.StartsWith("-", StringComparison.Ordinal)) { Problem($"'### {b.Heading}' under PARAMETERS must be '### -Name' or '### CommonParameters'."); continue; }
                documented[b.Heading.Substring(1)] = b;
            }
            if (!doc.Get("PARAMETERS")!.Blocks.Any(b => b.Heading == "CommonParameters"))
                Problem("PARAMETERS needs the '### CommonParameters' block.");
            foreach (var p in c.DisplayOrder())
            {
                if (!documented.TryGetValue(p.Name, out var block))
                {
                    Problem($"the parameter -{p.Name} is not documented (add '### -{p.Name}' under PARAMETERS).");
                    continue;
                }
                if (block.Heading.Substring(1) != p.Name) Problem($"'### {block.Heading}' must be spelled '### -{p.Name}'.");
                var prose = MarkdownDoc.ProseBeforeYaml(block.Lines);
                if (prose.Count == 0 || MarkdownDoc.IsPlaceholder(prose)) Problem($"the parameter -{p.Name} has no description.");
                var yaml = MarkdownDoc.YamlBlocks(block.Lines);
                string defaultValue = Render.DefaultValue(yaml);
                var want = Render.Yaml(c, p, defaultValue);
                if (yaml.Count != want.Count || !yaml.Zip(want).All(z => Render.Comparable(z.First) == Render.Comparable(z.Second)))
                    Problem($"the yaml of -{p.Name} does not match the cmdlet. Expected:\n" + string.Join("\n      ---\n", want.Select(y => string.Join("\n", y.Where(l => l.Length > 0).Select(l => "      " + l)))));
                page.Parameters[p.Name] = (prose, defaultValue);
            }
            foreach (string name in documented.Keys)
                if (!c.Parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                    Problem($"documents the parameter -{name}, which {c.Name} does not have.");

            ReadTypes(doc.Get("INPUTS")!, page.Inputs, "INPUTS", Problem);
            ReadTypes(doc.Get("OUTPUTS")!, page.Outputs, "OUTPUTS", Problem);
            foreach (string type in c.OutputTypes)
                if (!page.Outputs.Any(o => o.Type == type)) Problem($"OUTPUTS must list '### {type}' ([OutputType] of the cmdlet).");
            if (c.OutputTypes.Count == 0 && page.Outputs.Count == 0) Problem("OUTPUTS is empty: write '### None' when the cmdlet emits nothing.");
            foreach (var p in c.Parameters.Where(p => p.Sets.Values.Any(b => b.ByValue)))
                if (!page.Inputs.Any(i => i.Type == p.TypeFullName || i.Type + "[]" == p.TypeFullName || i.Type == p.TypeFullName + "[]"))
                    Problem($"INPUTS must list '### {p.TypeFullName.TrimEnd('[', ']')}' (-{p.Name} takes it from the pipeline).");

            foreach (string line in doc.Get("RELATED LINKS")!.Intro.Concat(doc.Get("RELATED LINKS")!.Blocks.SelectMany(b => b.Lines)))
            {
                var m = System.Text.RegularExpressions.Regex.Match(line, @"\[([^\]]+)\]\(([^)]*)\)");
                if (m.Success) page.Links.Add((m.Groups[1].Value, m.Groups[2].Value.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? m.Groups[2].Value : ""));
            }
            return problems.Count > before ? null : page;
        }

        private static void ReadTypes(Section section, List<TypeNote> into, string name, Action<string> problem)
        {
            foreach (var b in section.Blocks)
            {
                if (MarkdownDoc.IsPlaceholder(b.Lines) || MarkdownDoc.IsPlaceholder(new[] { b.Heading })) problem($"{name} '{b.Heading}' is a placeholder.");
                into.Add(new TypeNote(b.Heading, b.Lines));
            }
            if (section.Blocks.Count == 0) problem($"{name} lists no type: write '### None' when there is none.");
        }

        public static void CheckAbout(MarkdownDoc about, List<string> problems)
        {
            string name = Path.GetFileNameWithoutExtension(about.Path);
            if (!string.Equals(about.Title, name, StringComparison.Ordinal)) problems.Add($"{about.FileName}: the title must be '# {name}'.");
            foreach (string s in new[] { "SHORT DESCRIPTION", "LONG DESCRIPTION" })
            {
                var section = about.Get(s);
                if (section == null || (section.Intro.Count == 0 && section.Blocks.Count == 0) || MarkdownDoc.IsPlaceholder(section.Intro))
                    problems.Add($"{about.FileName}: the section '## {s}' is missing or empty.");
            }
        }
    }
}
