namespace Monolith.EmbeddedMongo.Wire;

internal static class OpCodes
{
    public const int Reply = 1;
    public const int Query = 2004;
    public const int Compressed = 2012;
    public const int Msg = 2013;
}

internal static class WireLimits
{
    public const int MaxBsonObjectSize = 16 * 1024 * 1024;
    public const int MaxMessageSizeBytes = 48_000_000;
    public const int MaxWriteBatchSize = 100_000;

    /// <summary>A command document may exceed a stored document's limit by this much (as in mongod).</summary>
    public const int CommandOverhead = 16 * 1024;
}
