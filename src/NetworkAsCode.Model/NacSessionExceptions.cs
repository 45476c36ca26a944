using System;

namespace NetworkAsCode
{
    /// <summary>
    /// A session that was to become AVAILABLE is UNAVAILABLE instead: created so (a CAMARA 1.2 provider's
    /// 201 with status UNAVAILABLE) or ended by the network while waited for. <see cref="StatusInfo"/> says why.
    /// </summary>
    public sealed class NacSessionUnavailableException : NacException
    {
        public NacSessionUnavailableException(QodSession session, string message) : base(message)
        {
            Session = session ?? throw new ArgumentNullException(nameof(session));
            Request = "";
        }

        /// <summary>The session as last seen (status UNAVAILABLE).</summary>
        public QodSession Session { get; }

        /// <summary>NETWORK_TERMINATED, DURATION_EXPIRED or DELETE_REQUESTED, when the platform said.</summary>
        public string? StatusInfo => Session.StatusInfo;
    }

    /// <summary>A session did not become AVAILABLE within the time allowed; it still exists.</summary>
    public sealed class NacSessionWaitTimeoutException : NacException
    {
        public NacSessionWaitTimeoutException(QodSession session, TimeSpan waited, string message) : base(message)
        {
            Session = session ?? throw new ArgumentNullException(nameof(session));
            Waited = waited;
        }

        /// <summary>The session as last seen.</summary>
        public QodSession Session { get; }

        public TimeSpan Waited { get; }
    }
}
