namespace NetworkAsCode
{
    /// <summary>The Network as Code environments. The RapidAPI host header selects staging; dev has its own host.</summary>
    public enum NacEnvironment
    {
        Prod,
        Staging,
        Dev,
    }
}
