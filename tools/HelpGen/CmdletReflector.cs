using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HelpGen
{
    /// <summary>How a parameter behaves in one parameter set.</summary>
    internal sealed record SetBinding(bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

    /// <summary>A cmdlet parameter as PowerShell will bind it: the authoritative metadata for the help.</summary>
    internal sealed class ParameterMeta
    {
        public string Name { get; init; } = "";
        /// <summary>The short type name platyPS shows (Nullable unwrapped): String[], Int32, SwitchParameter.</summary>
        public string TypeName { get; init; } = "";
        public string TypeFullName { get; init; } = "";
        public bool IsSwitch { get; init; }
        public bool IsArray { get; init; }
        public List<string> Aliases { get; } = new();
        public bool Wildcards { get; init; }
        public List<string> AcceptedValues { get; } = new();
        /// <summary>Set name (or <see cref="CmdletMeta.AllSets"/>) to its binding, in declaration order.</summary>
        public Dictionary<string, SetBinding> Sets { get; } = new();
        public bool IsShouldProcess { get; init; }
    }

    internal sealed class CmdletMeta
    {
        public const string AllSets = "__AllParameterSets";
        public string Name => Verb + "-" + Noun;
        public string Verb { get; init; } = "";
        public string Noun { get; init; } = "";
        public string? DefaultSet { get; init; }
        public bool SupportsShouldProcess { get; init; }
        public List<string> OutputTypes { get; } = new();
        public List<ParameterMeta> Parameters { get; } = new();
        /// <summary>The parameter sets, the default first, as Get-Command lists them.</summary>
        public List<string> SetNames { get; } = new();

        /// <summary>The binding of a parameter in a set, or null when it is not part of it.</summary>
        public static SetBinding? BindingIn(ParameterMeta p, string set) =>
            p.Sets.TryGetValue(set, out var b) ? b : p.Sets.TryGetValue(AllSets, out var all) ? all : null;

        /// <summary>The parameters of a set in the order PowerShell shows them: positional, mandatory, optional, then -WhatIf/-Confirm.</summary>
        public List<(ParameterMeta p, SetBinding b)> InSet(string set)
        {
            var members = Parameters.Select(p => (p, b: BindingIn(p, set))).Where(x => x.b != null).Select(x => (x.p, x.b!)).ToList();
            return members.Where(x => x.Item2.Position.HasValue).OrderBy(x => x.Item2.Position!.Value)
                .Concat(members.Where(x => !x.Item2.Position.HasValue && !x.p.IsShouldProcess && x.Item2.Mandatory))
                .Concat(members.Where(x => !x.Item2.Position.HasValue && !x.p.IsShouldProcess && !x.Item2.Mandatory))
                .Concat(members.Where(x => !x.Item2.Position.HasValue && x.p.IsShouldProcess))
                .ToList();
        }

        /// <summary>Every parameter once, in the order of the sets' display order (the default set first).</summary>
        public List<ParameterMeta> DisplayOrder()
        {
            var seen = new List<ParameterMeta>();
            foreach (string set in SetNames)
                foreach (var (p, _) in InSet(set))
                    if (!seen.Contains(p)) seen.Add(p);
            // -WhatIf and -Confirm last, as platyPS has them.
            return seen.Where(p => !p.IsShouldProcess).Concat(seen.Where(p => p.IsShouldProcess)).ToList();
        }
    }

    /// <summary>Reads the cmdlets of an assembly with MetadataLoadContext: nothing of it runs.</summary>
    internal static class CmdletReflector
    {
        private const string Sma = "System.Management.Automation.";

        public static List<CmdletMeta> Read(string assemblyPath)
        {
            string dir = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
            var paths = new List<string>();
            paths.AddRange(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll"));
            paths.AddRange(Directory.GetFiles(dir, "*.dll"));
            string deps = Path.Combine(dir, "dependencies");
            if (Directory.Exists(deps)) paths.AddRange(Directory.GetFiles(deps, "*.dll"));
            if (!paths.Any(p => Path.GetFileName(p).Equals("System.Management.Automation.dll", StringComparison.OrdinalIgnoreCase)))
                paths.Add(Path.Combine(AppContext.BaseDirectory, "ref", "System.Management.Automation.dll"));

            using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "System.Private.CoreLib");
            var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
            var result = new List<CmdletMeta>();
            foreach (var type in assembly.GetExportedTypes().Where(t => t.IsClass && !t.IsAbstract))
            {
                var cmdlet = Attribute(type.GetCustomAttributesData(), "CmdletAttribute");
                if (cmdlet == null) continue;
                result.Add(ReadCmdlet(type, cmdlet));
            }
            return result.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }

        private static CmdletMeta ReadCmdlet(Type type, CustomAttributeData cmdlet)
        {
            var meta = new CmdletMeta
            {
                Verb = (string)cmdlet.ConstructorArguments[0].Value!,
                Noun = (string)cmdlet.ConstructorArguments[1].Value!,
                DefaultSet = Named(cmdlet, "DefaultParameterSetName") as string,
                SupportsShouldProcess = Named(cmdlet, "SupportsShouldProcess") is true,
            };
            foreach (var output in type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute"))
                foreach (var arg in Values(output.ConstructorArguments[0]))
                    meta.OutputTypes.Add(arg is Type t ? t.FullName! : arg?.ToString() ?? "");

            // Declared order, the derived class's own parameters before the base classes'.
            var properties = new List<PropertyInfo>();
            for (var t = type; t != null && t.FullName != Sma + "PSCmdlet"; t = t.BaseType)
                properties.AddRange(t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
            var setOrder = new List<string>();
            foreach (var property in properties)
            {
                var attributes = property.GetCustomAttributesData();
                var parameterAttributes = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToList();
                if (parameterAttributes.Count == 0) continue;
                var (typeName, fullName, isArray) = Describe(property.PropertyType);
                var p = new ParameterMeta
                {
                    Name = property.Name,
                    TypeName = typeName,
                    TypeFullName = fullName,
                    IsArray = isArray,
                    IsSwitch = fullName == Sma + "SwitchParameter",
                    Wildcards = Attribute(attributes, "SupportsWildcardsAttribute") != null,
                };
                var alias = Attribute(attributes, "AliasAttribute");
                if (alias != null) p.Aliases.AddRange(Values(alias.ConstructorArguments[0]).Select(v => v?.ToString() ?? ""));
                var validateSet = Attribute(attributes, "ValidateSetAttribute");
                if (validateSet != null) p.AcceptedValues.AddRange(Values(validateSet.ConstructorArguments[0]).Select(v => v?.ToString() ?? ""));
                else
                {
                    var underlying = Unwrap(property.PropertyType);
                    if (underlying.IsEnum) p.AcceptedValues.AddRange(underlying.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name));
                }
                foreach (var pa in parameterAttributes)
                {
                    string set = Named(pa, "ParameterSetName") as string ?? CmdletMeta.AllSets;
                    int position = Named(pa, "Position") is int pos ? pos : int.MinValue;
                    p.Sets[set] = new SetBinding(Named(pa, "Mandatory") is true, position == int.MinValue ? null : position,
                        Named(pa, "ValueFromPipeline") is true, Named(pa, "ValueFromPipelineByPropertyName") is true);
                    if (set != CmdletMeta.AllSets && !setOrder.Contains(set)) setOrder.Add(set);
                }
                meta.Parameters.Add(p);
            }
            if (meta.SupportsShouldProcess)
            {
                foreach (var (name, alias) in new[] { ("WhatIf", "wi"), ("Confirm", "cf") })
                {
                    var p = new ParameterMeta { Name = name, TypeName = "SwitchParameter", TypeFullName = Sma + "SwitchParameter", IsSwitch = true, IsShouldProcess = true };
                    p.Aliases.Add(alias);
                    p.Sets[CmdletMeta.AllSets] = new SetBinding(false, null, false, false);
                    meta.Parameters.Add(p);
                }
            }
            if (setOrder.Count == 0) meta.SetNames.Add(CmdletMeta.AllSets);
            else
            {
                // A default set that no parameter names still exists (e.g. Get-NacQodSession with no parameter): the shared parameters only.
                if (meta.DefaultSet != null) { setOrder.Remove(meta.DefaultSet); meta.SetNames.Add(meta.DefaultSet); }
                meta.SetNames.AddRange(setOrder);
            }
            return meta;
        }

        private static (string name, string fullName, bool isArray) Describe(Type type)
        {
            var t = Unwrap(type);
            if (t.IsArray)
            {
                var element = Unwrap(t.GetElementType()!);
                return (element.Name + "[]", element.FullName + "[]", true);
            }
            return (t.Name, t.FullName!, false);
        }

        /// <summary>Nullable&lt;T&gt; to T. (Nullable.GetUnderlyingType does not know MetadataLoadContext types.)</summary>
        private static Type Unwrap(Type type) =>
            type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0] : type;

        private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
            attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

        private static object? Named(CustomAttributeData attribute, string name)
        {
            foreach (var arg in attribute.NamedArguments)
                if (arg.MemberName == name) return arg.TypedValue.Value is Type t ? t.FullName : arg.TypedValue.Value;
            return null;
        }

        private static IEnumerable<object?> Values(CustomAttributeTypedArgument argument) =>
            argument.Value is IEnumerable<CustomAttributeTypedArgument> list ? list.Select(v => v.Value) : new[] { argument.Value };
    }
}
