using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace HelpGen
{
    /// <summary>A "### " block inside a "## " section: its heading text and the lines under it.</summary>
    internal sealed class Block
    {
        public string Heading { get; set; } = "";
        public List<string> Lines { get; set; } = new();
    }

    /// <summary>A "## " section: the lines before its first "### " and its "### " blocks.</summary>
    internal sealed class Section
    {
        public string Name { get; set; } = "";
        public List<string> Intro { get; set; } = new();
        public List<Block> Blocks { get; } = new();
    }

    /// <summary>
    /// One platyPS 0.14 markdown file, split into front matter, title and sections. Headings inside
    /// fenced code (a PowerShell comment starts with '#') are content, not structure.
    /// </summary>
    internal sealed class MarkdownDoc
    {
        public string Path { get; }
        public List<(string key, string value)> FrontMatter { get; } = new();
        public string Title { get; set; } = "";
        public List<Section> Sections { get; } = new();

        private MarkdownDoc(string path) => Path = path;

        public string FileName => System.IO.Path.GetFileName(Path);

        public string? Front(string key) => FrontMatter.Where(f => f.key.Equals(key, StringComparison.OrdinalIgnoreCase)).Select(f => f.value).FirstOrDefault();

        public Section? Get(string name) => Sections.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

        public static MarkdownDoc Load(string path)
        {
            var doc = new MarkdownDoc(path);
            var lines = File.ReadAllLines(path).ToList();
            int i = 0;
            if (lines.Count > 0 && lines[0].Trim() == "---")
            {
                for (i = 1; i < lines.Count && lines[i].Trim() != "---"; i++)
                {
                    int colon = lines[i].IndexOf(':');
                    if (colon > 0) doc.FrontMatter.Add((lines[i].Substring(0, colon).Trim(), lines[i].Substring(colon + 1).Trim()));
                }
                i++;
            }
            bool fenced = false;
            Section? section = null;
            Block? block = null;
            for (; i < lines.Count; i++)
            {
                string line = lines[i];
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
                if (!fenced && line.StartsWith("# ", StringComparison.Ordinal) && section == null && doc.Title.Length == 0)
                {
                    doc.Title = line.Substring(2).Trim();
                    continue;
                }
                if (!fenced && line.StartsWith("## ", StringComparison.Ordinal))
                {
                    section = new Section { Name = line.Substring(3).Trim() };
                    doc.Sections.Add(section);
                    block = null;
                    continue;
                }
                if (!fenced && line.StartsWith("### ", StringComparison.Ordinal) && section != null)
                {
                    block = new Block { Heading = line.Substring(4).Trim() };
                    section.Blocks.Add(block);
                    continue;
                }
                if (block != null) block.Lines.Add(line);
                else section?.Intro.Add(line);
            }
            foreach (var s in doc.Sections)
            {
                s.Intro = Trim(s.Intro);
                foreach (var b in s.Blocks) b.Lines = Trim(b.Lines);
            }
            return doc;
        }

        public void Save()
        {
            var sb = new StringBuilder();
            sb.Append("---\n");
            foreach (var (key, value) in FrontMatter) sb.Append(key).Append(':').Append(value.Length > 0 ? " " + value : "").Append('\n');
            sb.Append("---\n\n");
            sb.Append("# ").Append(Title).Append("\n\n");
            foreach (var s in Sections)
            {
                sb.Append("## ").Append(s.Name).Append("\n\n");
                if (s.Intro.Count > 0) sb.Append(string.Join("\n", s.Intro)).Append("\n\n");
                foreach (var b in s.Blocks)
                {
                    sb.Append("### ").Append(b.Heading).Append("\n\n");
                    if (b.Lines.Count > 0) sb.Append(string.Join("\n", b.Lines)).Append("\n\n");
                }
            }
            File.WriteAllText(Path, sb.ToString().TrimEnd('\n') + "\n");
        }

        /// <summary>The text of a block or section before any fenced yaml (parameter descriptions).</summary>
        public static List<string> ProseBeforeYaml(List<string> lines)
        {
            int yaml = lines.FindIndex(l => l.Trim().StartsWith("```yaml", StringComparison.OrdinalIgnoreCase));
            return Trim(yaml < 0 ? lines : lines.Take(yaml).ToList());
        }

        /// <summary>The contents of every ```yaml fence in the lines.</summary>
        public static List<List<string>> YamlBlocks(List<string> lines)
        {
            var result = new List<List<string>>();
            List<string>? current = null;
            foreach (string line in lines)
            {
                string t = line.Trim();
                if (current == null && t.StartsWith("```yaml", StringComparison.OrdinalIgnoreCase)) current = new List<string>();
                else if (current != null && t.StartsWith("```", StringComparison.Ordinal)) { result.Add(current); current = null; }
                else current?.Add(line);
            }
            return result;
        }

        /// <summary>The first fenced code block (its language tag dropped), and the prose after it.</summary>
        public static (string? code, List<string> after) SplitCode(List<string> lines)
        {
            int start = lines.FindIndex(l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
            if (start < 0) return (null, lines);
            int end = lines.FindIndex(start + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
            if (end < 0) return (null, lines);
            string code = string.Join("\n", lines.Skip(start + 1).Take(end - start - 1));
            var after = lines.Take(start).Concat(lines.Skip(end + 1)).ToList();
            return (code, Trim(after));
        }

        public static List<string> Trim(List<string> lines)
        {
            int a = 0, b = lines.Count;
            while (a < b && lines[a].Trim().Length == 0) a++;
            while (b > a && lines[b - 1].Trim().Length == 0) b--;
            return lines.Skip(a).Take(b - a).ToList();
        }

        public static bool IsPlaceholder(IEnumerable<string> lines) =>
            lines.Any(l => l.Contains("{{", StringComparison.Ordinal) && l.Contains("}}", StringComparison.Ordinal));
    }

    /// <summary>Markdown prose as the plain paragraphs Get-Help prints.</summary>
    internal static class Prose
    {
        private static readonly Regex Link = new(@"\[([^\]]+)\]\(([^)\s]+)\)", RegexOptions.CultureInvariant);
        private static readonly Regex ListItem = new(@"^\s*([-*]|\d+\.)\s+", RegexOptions.CultureInvariant);

        public enum Kind { Paragraph, Item, Code, TableRow }

        /// <summary>Splits lines into paragraphs, list items, code blocks and table rows.</summary>
        public static List<(Kind kind, string text)> Blocks(IEnumerable<string> lines)
        {
            var result = new List<(Kind, string)>();
            var current = new List<string>();
            Kind kind = Kind.Paragraph;
            bool fenced = false;
            var code = new List<string>();
            void Flush()
            {
                if (current.Count > 0) result.Add((kind, Inline(string.Join(" ", current.Select(l => l.Trim())))));
                current.Clear();
                kind = Kind.Paragraph;
            }
            foreach (string line in lines)
            {
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    if (fenced) { result.Add((Kind.Code, string.Join("\n", code))); code.Clear(); fenced = false; }
                    else { Flush(); fenced = true; }
                    continue;
                }
                if (fenced) { code.Add(line); continue; }
                if (line.Trim().Length == 0)
                {
                    Flush();
                    // An empty paragraph ends a table, so that two tables in a row stay two.
                    if (result.Count > 0 && result[^1].Item1 == Kind.TableRow) result.Add((Kind.Paragraph, ""));
                    continue;
                }
                if (line.TrimStart().StartsWith("|", StringComparison.Ordinal))
                {
                    Flush();
                    if (!Regex.IsMatch(line, @"^\s*\|[\s:|-]+\|\s*$")) result.Add((Kind.TableRow, line.Trim()));
                    continue;
                }
                if (ListItem.IsMatch(line))
                {
                    Flush();
                    kind = Kind.Item;
                    current.Add(line.Trim());
                    continue;
                }
                current.Add(line);
            }
            Flush();
            if (fenced && code.Count > 0) result.Add((Kind.Code, string.Join("\n", code)));
            return result;
        }

        private static readonly Regex CodeSpan = new(@"`([^`]+)`", RegexOptions.CultureInvariant);
        private static readonly Regex Bold = new(@"\*\*([^*\s](?:[^*]*[^*\s])?)\*\*", RegexOptions.CultureInvariant);
        private static readonly Regex AutoLink = new(@"<(https?://[^>\s]+)>", RegexOptions.CultureInvariant);
        private static readonly Regex Escaped = new(@"\\([\\`*_{}\[\]()#+\-.!|<>])", RegexOptions.CultureInvariant);

        /// <summary>
        /// Markdown inline markup to console text: code spans verbatim without their backticks, **bold** without its
        /// stars, links as "text (url)", &lt;url&gt; as url, backslash escapes resolved. Anything else is kept as written:
        /// a run of stars such as a masked token (********), or text in angle brackets.
        /// </summary>
        public static string Inline(string text)
        {
            var result = new StringBuilder();
            int done = 0;
            foreach (Match code in CodeSpan.Matches(text))
            {
                result.Append(Markup(text.Substring(done, code.Index - done)));
                result.Append(code.Groups[1].Value);
                done = code.Index + code.Length;
            }
            result.Append(Markup(text.Substring(done)));
            return result.ToString();
        }

        private static string Markup(string text)
        {
            text = Link.Replace(text, m => m.Groups[2].Value.StartsWith("http", StringComparison.OrdinalIgnoreCase)
                ? $"{m.Groups[1].Value} ({m.Groups[2].Value})" : m.Groups[1].Value);
            text = AutoLink.Replace(text, "$1");
            text = Bold.Replace(text, "$1");
            return Escaped.Replace(text, "$1");
        }

        /// <summary>A table row "| a | b |" as "a  b" cells for a paragraph.</summary>
        public static string[] Cells(string row) =>
            row.Trim().Trim('|').Split('|').Select(c => Inline(c.Trim())).ToArray();

        /// <summary>Wraps text at width, each line starting with indent.</summary>
        public static IEnumerable<string> Wrap(string text, int indent, int width = 80, int hangingIndent = -1)
        {
            if (hangingIndent < 0) hangingIndent = indent;
            var line = new StringBuilder(new string(' ', indent));
            bool empty = true;
            foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > width)
                {
                    yield return line.ToString();
                    line.Clear().Append(' ', hangingIndent);
                    empty = true;
                }
                if (!empty) line.Append(' ');
                line.Append(word);
                empty = false;
            }
            if (!empty) yield return line.ToString();
        }
    }
}
