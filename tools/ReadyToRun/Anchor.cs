namespace ReadyToRun
{
    /// <summary>The project exists to publish its references with ReadyToRun; it has no code of its own.</summary>
    internal static class Anchor
    {
    }
}
