using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using NetworkAsCode.Completers;
using NetworkAsCode.Http;

namespace NetworkAsCode.Commands
{
    /// <summary>
    /// Lists the QoS profiles: the documented labels with their meaning (offline), enriched with the
    /// platform's profile attributes where its qos-profiles API answers.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "NacQosProfile")]
    [OutputType(typeof(QosProfile))]
    public sealed class GetNacQosProfileCommand : NacApiCmdlet
    {
        /// <summary>Profile names; wildcards allowed.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(QosProfileCompleter))]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Only the built-in list: do not ask the platform.</summary>
        [Parameter]
        public SwitchParameter Offline { get; set; }

        protected override bool RequiresConnection => false;

        private readonly List<string> _names = new List<string>();

        protected override void ProcessRecord()
        {
            if (Name != null) _names.AddRange(Name);
        }

        protected override void EndProcessing()
        {
            var profiles = QosProfile.BuiltIn().ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
            var order = profiles.Keys.ToList();
            foreach (var server in ServerProfiles())
            {
                if (profiles.TryGetValue(server.Name, out var known)) known.MergeFrom(server);
                else
                {
                    profiles[server.Name] = server;
                    order.Add(server.Name);
                }
            }

            var patterns = _names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant)).ToList();
            foreach (string name in order)
            {
                if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(name))) continue;
                WriteObject(profiles[name]);
            }
            foreach (string name in _names)
                if (!WildcardPattern.ContainsWildcardCharacters(name) && !profiles.ContainsKey(name))
                    WriteError(new ErrorRecord(
                        new ItemNotFoundException($"There is no QoS profile '{name}'. Run Get-NacQosProfile without -Name to list them."),
                        "NacProfileNotFound", ErrorCategory.ObjectNotFound, name));
        }

        private IReadOnlyList<QosProfile> ServerProfiles()
        {
            if (Offline) return Array.Empty<QosProfile>();
            if (!HasClient)
            {
                WriteVerbose($"Showing the built-in profiles only: {NoClientReason}");
                return Array.Empty<QosProfile>();
            }
            try
            {
                return Run(cancel => Client.GetQosProfilesAsync(cancel));
            }
            catch (NacException e)
            {
                WriteVerbose($"The qos-profiles API did not answer, so only the built-in descriptions are shown: {e.Message}");
                return Array.Empty<QosProfile>();
            }
        }
    }
}
