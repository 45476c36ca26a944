using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace HelpGen
{
    /// <summary>Writes the MAML that Get-Help reads for a binary module (Module.dll-Help.xml).</summary>
    internal static class MamlWriter
    {
        private const string Msh = "http://msh";
        private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
        private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
        private const string MsHelp = "http://msdn.microsoft.com/mshelp";

        public static void Write(string path, List<CmdletMeta> cmdlets, List<CommandPage> pages)
        {
            var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
            using var w = XmlWriter.Create(path, settings);
            w.WriteStartDocument();
            w.WriteStartElement("helpItems", Msh);
            w.WriteAttributeString("schema", "maml");
            foreach (var page in pages.OrderBy(p => p.Meta.Name, StringComparer.OrdinalIgnoreCase)) WriteCommand(w, page);
            w.WriteEndElement();
            w.WriteEndDocument();
        }

        private static void WriteCommand(XmlWriter w, CommandPage page)
        {
            var c = page.Meta;
            w.WriteStartElement("command", "command", Command);
            w.WriteAttributeString("xmlns", "maml", null, Maml);
            w.WriteAttributeString("xmlns", "command", null, Command);
            w.WriteAttributeString("xmlns", "dev", null, Dev);
            w.WriteAttributeString("xmlns", "MSHelp", null, MsHelp);

            w.WriteStartElement("details", Command);
            w.WriteElementString("name", Command, c.Name);
            w.WriteElementString("verb", Command, c.Verb);
            w.WriteElementString("noun", Command, c.Noun);
            Description(w, page.Synopsis);
            w.WriteEndElement();

            Description(w, page.Description);

            w.WriteStartElement("syntax", Command);
            foreach (string set in c.SetNames)
            {
                w.WriteStartElement("syntaxItem", Command);
                w.WriteElementString("name", Maml, c.Name);
                foreach (var (p, b) in c.InSet(set)) Parameter(w, page, p, b, inSyntax: true);
                w.WriteEndElement();
            }
            w.WriteEndElement();

            w.WriteStartElement("parameters", Command);
            foreach (var p in c.DisplayOrder())
            {
                var b = c.SetNames.Select(s => CmdletMeta.BindingIn(p, s)).First(x => x != null)!;
                // Pipeline input anywhere counts: -SessionId binds from the pipeline in its set.
                bool byValue = p.Sets.Values.Any(x => x.ByValue), byName = p.Sets.Values.Any(x => x.ByPropertyName);
                Parameter(w, page, p, b with { ByValue = byValue, ByPropertyName = byName }, inSyntax: false);
            }
            w.WriteEndElement();

            Types(w, "inputTypes", "inputType", page.Inputs);
            Types(w, "returnValues", "returnValue", page.Outputs);

            w.WriteStartElement("alertSet", Maml);
            w.WriteStartElement("alert", Maml);
            Paras(w, page.Notes);
            w.WriteEndElement();
            w.WriteEndElement();

            w.WriteStartElement("examples", Command);
            foreach (var e in page.Examples)
            {
                w.WriteStartElement("example", Command);
                w.WriteElementString("title", Maml, $"--------- {e.Title} ---------");
                w.WriteElementString("code", Dev, e.Code);
                w.WriteStartElement("remarks", Dev);
                Paras(w, e.Remarks);
                w.WriteElementString("para", Maml, ""); // a blank line before the next example
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();

            w.WriteStartElement("relatedLinks", Command);
            if (!string.IsNullOrWhiteSpace(page.OnlineVersion)) Link(w, "Online Version:", page.OnlineVersion!);
            foreach (var (text, uri) in page.Links) Link(w, text, uri);
            w.WriteEndElement();

            w.WriteEndElement();
        }

        private static void Parameter(XmlWriter w, CommandPage page, ParameterMeta p, SetBinding b, bool inSyntax)
        {
            var (description, defaultValue) = page.Parameters[p.Name];
            w.WriteStartElement("parameter", Command);
            w.WriteAttributeString("required", b.Mandatory ? "true" : "false");
            w.WriteAttributeString("variableLength", p.IsArray ? "true" : "false");
            w.WriteAttributeString("globbing", p.Wildcards ? "true" : "false");
            w.WriteAttributeString("pipelineInput", Render.PipelineText(b));
            w.WriteAttributeString("position", b.Position.HasValue ? b.Position.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "named");
            w.WriteAttributeString("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none");
            w.WriteElementString("name", Maml, p.Name);
            Description(w, description);
            if (inSyntax && p.AcceptedValues.Count > 0)
            {
                w.WriteStartElement("parameterValueGroup", Command);
                foreach (string v in p.AcceptedValues)
                {
                    w.WriteStartElement("parameterValue", Command);
                    w.WriteAttributeString("required", "false");
                    w.WriteAttributeString("command", "variableLength", Command, "false");
                    w.WriteString(v);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            else if (!(inSyntax && p.IsSwitch))
            {
                w.WriteStartElement("parameterValue", Command);
                w.WriteAttributeString("required", p.IsSwitch ? "false" : "true");
                w.WriteAttributeString("variableLength", p.IsArray ? "true" : "false");
                w.WriteString(p.TypeName);
                w.WriteEndElement();
            }
            w.WriteStartElement("type", Dev);
            w.WriteElementString("name", Maml, p.TypeFullName);
            w.WriteElementString("uri", Maml, "");
            w.WriteEndElement();
            w.WriteElementString("defaultValue", Dev, defaultValue);
            w.WriteEndElement();
        }

        private static void Types(XmlWriter w, string outer, string inner, List<TypeNote> types)
        {
            w.WriteStartElement(outer, Command);
            foreach (var t in types)
            {
                w.WriteStartElement(inner, Command);
                w.WriteStartElement("type", Dev);
                w.WriteElementString("name", Maml, t.Type);
                w.WriteEndElement();
                Description(w, t.Description);
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }

        private static void Link(XmlWriter w, string text, string uri)
        {
            w.WriteStartElement("navigationLink", Maml);
            w.WriteElementString("linkText", Maml, text);
            w.WriteElementString("uri", Maml, uri);
            w.WriteEndElement();
        }

        private static void Description(XmlWriter w, IEnumerable<string> lines)
        {
            w.WriteStartElement("description", Maml);
            Paras(w, lines);
            w.WriteEndElement();
        }

        /// <summary>One maml:para per paragraph, list item, table row or code block (code keeps its lines).</summary>
        private static void Paras(XmlWriter w, IEnumerable<string> lines)
        {
            foreach (var (kind, text) in Prose.Blocks(lines))
            {
                if (text.Length == 0) continue;
                string para = kind switch
                {
                    Prose.Kind.Item => text.StartsWith("-", StringComparison.Ordinal) || text.StartsWith("*", StringComparison.Ordinal) ? "- " + text.Substring(1).TrimStart() : text,
                    Prose.Kind.TableRow => string.Join(" - ", Prose.Cells(text).Where(x => x.Length > 0)),
                    Prose.Kind.Code => string.Join("\n", text.Split('\n').Select(l => "    " + l)),
                    _ => text,
                };
                w.WriteElementString("para", Maml, para);
            }
        }
    }
}
