using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace HelpGen
{
    /// <summary>
    /// Compiles the platyPS-style markdown help of a binary module into MAML and an about topic.
    ///
    ///   HelpGen --assembly out/NetworkAsCode/NetworkAsCode.dll --docs docs/en-US --out out/NetworkAsCode/en-US
    ///   HelpGen ... --update     first rewrites SYNTAX and the parameter yaml of the markdown from the
    ///                            assembly, and adds placeholders for new cmdlets and parameters
    ///   HelpGen ... --check      only checks the markdown against the assembly; writes nothing
    ///
    /// The assembly is the truth for syntax and parameter metadata; the markdown for every word of
    /// prose. The run fails (exit code 1, every problem listed) when a cmdlet has no markdown file, a
    /// parameter is not documented, the markdown documents a cmdlet or parameter that does not exist,
    /// prose is missing or still a {{ placeholder }}, or the markdown's SYNTAX, yaml, INPUTS or OUTPUTS
    /// disagree with the assembly. Exit code 2: bad arguments or unreadable input.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            string? assembly = null, docs = null, outDir = null, module = null;
            bool update = false, check = false;
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i];
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value.");
                try
                {
                    switch (a)
                    {
                        case "--assembly": assembly = Next(); break;
                        case "--docs": docs = Next(); break;
                        case "--out": outDir = Next(); break;
                        case "--module": module = Next(); break;
                        case "--update": update = true; break;
                        case "--check": check = true; break;
                        case "-h": case "--help": Usage(Console.Out); return 0;
                        default: throw new ArgumentException($"Unknown argument '{a}'.");
                    }
                }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine("HelpGen: " + e.Message);
                    Usage(Console.Error);
                    return 2;
                }
            }
            if (assembly == null || docs == null || (outDir == null && !check))
            {
                Console.Error.WriteLine("HelpGen: --assembly, --docs and --out (unless --check) are required.");
                Usage(Console.Error);
                return 2;
            }
            if (!File.Exists(assembly)) { Console.Error.WriteLine($"HelpGen: the assembly {assembly} does not exist: build the module first."); return 2; }
            if (!Directory.Exists(docs)) { Console.Error.WriteLine($"HelpGen: the docs folder {docs} does not exist."); return 2; }
            module ??= Path.GetFileNameWithoutExtension(assembly);

            var clock = Stopwatch.StartNew();
            List<CmdletMeta> cmdlets;
            try
            {
                cmdlets = CmdletReflector.Read(assembly);
            }
            catch (Exception e) when (e is FileNotFoundException || e is BadImageFormatException || e is FileLoadException)
            {
                Console.Error.WriteLine($"HelpGen: cannot read the cmdlets of {assembly}: {e.Message}");
                return 2;
            }

            var problems = new List<string>();
            if (update) Updater.Update(cmdlets, docs, module, Path.GetFileName(assembly) + "-Help.xml");
            var pages = Checker.Check(cmdlets, docs, module, Path.GetFileName(assembly) + "-Help.xml", problems);
            string aboutPath = Path.Combine(docs, $"about_{module}.md");
            MarkdownDoc? about = File.Exists(aboutPath) ? MarkdownDoc.Load(aboutPath) : null;
            if (about == null) problems.Add($"{aboutPath} is missing: the module needs an about_{module} topic.");
            else Checker.CheckAbout(about, problems);

            if (problems.Count > 0)
            {
                Console.Error.WriteLine($"HelpGen: the help in {docs} does not match {Path.GetFileName(assembly)} ({problems.Count} problem(s)):");
                foreach (string p in problems) Console.Error.WriteLine("  - " + p);
                Console.Error.WriteLine(update
                    ? "Write the missing prose (replace every {{ ... }}), then run again."
                    : "Run HelpGen with --update to bring SYNTAX, parameter yaml and new parameters into the markdown, then write the missing prose.");
                return 1;
            }
            if (check)
            {
                Console.WriteLine($"HelpGen: the help of {cmdlets.Count} cmdlets is complete and matches the assembly ({clock.ElapsedMilliseconds} ms).");
                return 0;
            }

            Directory.CreateDirectory(outDir!);
            string maml = Path.Combine(outDir!, Path.GetFileName(assembly) + "-Help.xml");
            MamlWriter.Write(maml, cmdlets, pages);
            string txt = Path.Combine(outDir!, $"about_{module}.help.txt");
            AboutWriter.Write(txt, about!);
            Console.WriteLine($"HelpGen: wrote {maml} ({cmdlets.Count} cmdlets) and {txt} in {clock.ElapsedMilliseconds} ms.");
            return 0;
        }

        private static void Usage(TextWriter w)
        {
            w.WriteLine("Usage: HelpGen --assembly <Module.dll> --docs <docs/en-US> --out <module/en-US> [--module <Name>] [--update | --check]");
            w.WriteLine("  Writes <out>/<Module.dll>-Help.xml (MAML) and <out>/about_<Name>.help.txt from the markdown in <docs>,");
            w.WriteLine("  with syntax and parameter metadata read from the assembly. Exit 1 when the help is incomplete or stale.");
            w.WriteLine("  --update  rewrites SYNTAX and parameter yaml in the markdown from the assembly, adds placeholders for new");
            w.WriteLine("            cmdlets and parameters and removes parameters that no longer exist; then checks.");
            w.WriteLine("  --check   checks only; writes nothing.");
        }
    }
}
