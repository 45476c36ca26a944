using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace NetworkAsCode.Infrastructure
{
    /// <summary>
    /// Loads the HTTP core and its dependencies (System.Text.Json and, for 5.1, its helpers) from the module's
    /// <c>dependencies</c> folder in isolation, so another module's versions of the same assemblies
    /// neither break us nor are broken by us. On PowerShell 7 they go into a private
    /// AssemblyLoadContext; on Windows PowerShell 5.1 an AssemblyResolve hook finds them (5.1 has one
    /// load context, so a version loaded earlier by another module still wins there).
    /// The types scripts name (<c>[NetworkAsCode.QodSession]</c>...) live in NetworkAsCode.Model, beside
    /// this assembly, in the default context. On 5.1 it also turns TLS 1.2 on.
    /// </summary>
    public sealed class DependencyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal const string CoreAssembly = "NetworkAsCode.Core";
        private static readonly object Gate = new object();
        private static bool _registered;

        internal static string DependencyDirectory { get; } =
            Path.Combine(Path.GetDirectoryName(typeof(DependencyLoader).Assembly.Location) ?? ".", "dependencies");

        public void OnImport()
        {
            lock (Gate)
            {
                if (_registered) return;
                // In a build tree (tests referencing the projects) there is no dependencies folder: nothing to do.
                if (!Directory.Exists(DependencyDirectory)) return;
                if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
                    DesktopResolver.Register(DependencyDirectory);
                else
                    IsolatedLoadContext.Register(DependencyDirectory);
                _registered = true;
            }
        }

        public void OnRemove(PSModuleInfo module)
        {
            // The load context stays: .NET cannot unload assemblies that PowerShell may still hold.
        }

        /// <summary>PowerShell 7: a private load context for the core and everything it needs but the runtime itself.</summary>
        private sealed class IsolatedLoadContext : AssemblyLoadContext
        {
            private readonly string _directory;
            // Read on the first load, not at import: Import-Module should cost as little as possible.
            private readonly Lazy<HashSet<string>> _platform = new Lazy<HashSet<string>>(PlatformAssemblies);

            private IsolatedLoadContext(string directory) : base()
            {
                _directory = directory;
            }

            public static void Register(string directory)
            {
                var context = new IsolatedLoadContext(directory);
                // Only the core is handed out to the default context; its dependencies resolve inside ours.
                Default.Resolving += (_, name) =>
                    string.Equals(name.Name, CoreAssembly, StringComparison.OrdinalIgnoreCase)
                        ? context.LoadFromAssemblyPath(Path.Combine(directory, CoreAssembly + ".dll"))
                        : null;
            }

            protected override Assembly? Load(AssemblyName name)
            {
                // Shared with the default context: the model types and the runtime's own assemblies.
                if (name.Name == null || name.Name == "NetworkAsCode.Model" || _platform.Value.Contains(name.Name)) return null;
                string path = Path.Combine(_directory, name.Name + ".dll");
                return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }

            /// <summary>The assemblies the running .NET itself provides (netstandard shims for them ship only for 5.1).</summary>
            private static HashSet<string> PlatformAssemblies()
            {
                var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
                    foreach (string path in list.Split(Path.PathSeparator))
                    {
                        string file = Path.GetFileNameWithoutExtension(path);
                        if (file.StartsWith("System.", StringComparison.OrdinalIgnoreCase) || file == "netstandard" || file == "mscorlib" ||
                            file.StartsWith("Microsoft.Win32.", StringComparison.OrdinalIgnoreCase) || file == "Microsoft.CSharp" ||
                            file.StartsWith("Microsoft.VisualBasic", StringComparison.OrdinalIgnoreCase))
                            names.Add(file);
                    }
                return names;
            }
        }

        /// <summary>Windows PowerShell 5.1: find our assemblies in the dependencies folder when the default probing does not.</summary>
        /// <remarks>Its own class, so that PowerShell 7 never loads System.Net.Requests (ServicePointManager) at import.</remarks>
        private static class DesktopResolver
        {
            public static void Register(string directory)
            {
                // Windows PowerShell 5.1 may still default to TLS 1.0/1.1; add TLS 1.2 without removing anything.
                ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
                AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
                {
                    string path = Path.Combine(directory, new AssemblyName(args.Name).Name + ".dll");
                    return File.Exists(path) ? Assembly.LoadFrom(path) : null;
                };
            }
        }
    }
}
