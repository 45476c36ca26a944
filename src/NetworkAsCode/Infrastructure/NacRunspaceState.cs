using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using NetworkAsCode.Http;

namespace NetworkAsCode.Infrastructure
{
    /// <summary>
    /// State that belongs to one runspace: the Connect-Nac context and the session ids seen (for Tab
    /// completion). Keyed by runspace, never process-wide, so parallel runspaces do not bleed into each other.
    /// </summary>
    internal sealed class NacRunspaceState
    {
        private static readonly ConditionalWeakTable<Runspace, NacRunspaceState> States = new ConditionalWeakTable<Runspace, NacRunspaceState>();
        private static readonly NacRunspaceState NoRunspace = new NacRunspaceState();
        private readonly LinkedList<string> _seenIds = new LinkedList<string>();
        private readonly Dictionary<string, LinkedListNode<string>> _seenNodes = new Dictionary<string, LinkedListNode<string>>();
        private const int MaxSeenIds = 500;

        public static NacRunspaceState Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace == null ? NoRunspace : States.GetValue(runspace, _ => new NacRunspaceState());
            }
        }

        /// <summary>Simulators that Start-NacSimulator started in this runspace.</summary>
        public List<Commands.NacSimulator> Simulators { get; } = new List<Commands.NacSimulator>();

        /// <summary>What Connect-Nac set; null when not connected.</summary>
        public NacContextOptions? Context { get; set; }

        public void RememberSession(string sessionId)
        {
            lock (_seenIds)
            {
                if (_seenNodes.TryGetValue(sessionId, out var node)) _seenIds.Remove(node);
                _seenNodes[sessionId] = _seenIds.AddFirst(sessionId);
                if (_seenIds.Count > MaxSeenIds)
                {
                    _seenNodes.Remove(_seenIds.Last!.Value);
                    _seenIds.RemoveLast();
                }
            }
        }

        public void ForgetSession(string sessionId)
        {
            lock (_seenIds)
                if (_seenNodes.TryGetValue(sessionId, out var node))
                {
                    _seenIds.Remove(node);
                    _seenNodes.Remove(sessionId);
                }
        }

        public string[] SeenSessionIds()
        {
            lock (_seenIds) return new List<string>(_seenIds).ToArray();
        }
    }
}
