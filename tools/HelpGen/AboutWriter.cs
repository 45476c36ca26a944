using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace HelpGen
{
    /// <summary>
    /// Writes an about topic as the plain text Get-Help shows: "## " headings in capitals at the margin,
    /// "### " headings indented and underlined, prose wrapped at 80 columns, code and tables kept as laid out.
    /// </summary>
    internal static class AboutWriter
    {
        public static void Write(string path, MarkdownDoc about)
        {
            var lines = new List<string> { "TOPIC", "    " + about.Title, "" };
            foreach (var section in about.Sections)
            {
                lines.Add(section.Name.ToUpperInvariant());
                Body(lines, section.Intro);
                foreach (var block in section.Blocks)
                {
                    lines.Add("    " + block.Heading);
                    lines.Add("    " + new string('-', block.Heading.Length));
                    Body(lines, block.Lines);
                }
            }
            while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            File.WriteAllText(path, string.Join("\n", lines) + "\n", new UTF8Encoding(false));
        }

        private static void Body(List<string> lines, List<string> markdown)
        {
            var blocks = Prose.Blocks(markdown);
            for (int i = 0; i < blocks.Count; i++)
            {
                var (kind, text) = blocks[i];
                switch (kind)
                {
                    case Prose.Kind.Paragraph:
                        if (text.Length == 0) break;
                        lines.AddRange(Prose.Wrap(text, 4));
                        lines.Add("");
                        break;
                    case Prose.Kind.Item:
                        int marker = text.IndexOf(' ');
                        lines.AddRange(Prose.Wrap(text, 4, 80, 4 + marker + 1));
                        if (i + 1 >= blocks.Count || blocks[i + 1].kind != Prose.Kind.Item) lines.Add("");
                        break;
                    case Prose.Kind.Code:
                        lines.AddRange(text.Split('\n').Select(l => l.Length == 0 ? "" : "        " + l));
                        lines.Add("");
                        break;
                    case Prose.Kind.TableRow:
                        var rows = new List<string[]>();
                        for (; i < blocks.Count && blocks[i].kind == Prose.Kind.TableRow; i++) rows.Add(Prose.Cells(blocks[i].text));
                        i--;
                        Table(lines, rows);
                        lines.Add("");
                        break;
                }
            }
        }

        /// <summary>
        /// Columns aligned, the first row the header, underlined. A table wider than 80 columns becomes a
        /// list instead: each row's first cell, then "Header: value" lines wrapped under it.
        /// </summary>
        private static void Table(List<string> lines, List<string[]> rows)
        {
            int columns = rows.Max(r => r.Length);
            var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
            if (4 + widths.Sum() + 2 * (columns - 1) > 80)
            {
                var header = rows[0];
                int label = header.Skip(1).Max(h => h.Length) + 2;
                foreach (var r in rows.Skip(1))
                {
                    lines.Add("    " + (r.Length > 0 ? r[0] : ""));
                    for (int c = 1; c < columns; c++)
                    {
                        string name = (c < header.Length ? header[c] : "") + ":";
                        var wrapped = Prose.Wrap(c < r.Length ? r[c] : "", 8 + label).ToList();
                        if (wrapped.Count == 0) wrapped.Add("");
                        wrapped[0] = "        " + name.PadRight(label) + wrapped[0].TrimStart();
                        lines.AddRange(wrapped);
                    }
                }
                return;
            }
            string Row(string[] cells) => ("    " + string.Join("  ", Enumerable.Range(0, columns).Select(c => (c < cells.Length ? cells[c] : "").PadRight(widths[c])))).TrimEnd();
            lines.Add(Row(rows[0]));
            lines.Add(Row(widths.Select(w => new string('-', w)).ToArray()));
            foreach (var r in rows.Skip(1)) lines.Add(Row(r));
        }
    }
}
