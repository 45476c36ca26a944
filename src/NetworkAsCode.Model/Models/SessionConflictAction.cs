namespace NetworkAsCode
{
    /// <summary>What a create does when the device already has an active session with the same profile, server and ports.</summary>
    public enum SessionConflictAction
    {
        /// <summary>Fail with the platform's 409, naming the existing session and -IfExists.</summary>
        Fail,
        /// <summary>Use the existing session, extended so that it lasts at least the requested duration from now.</summary>
        Reuse,
        /// <summary>Delete the existing session and create the new one.</summary>
        Replace,
    }
}
