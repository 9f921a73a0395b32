using Xunit;

namespace Monolith.EmbeddedMongo.Tests;

/// <summary>
/// Load-heavy or timing-sensitive tests (Hangfire's 1,000 jobs, 100 parallel connections, reads during a long
/// write, the fuzz run, 20 MB GridFS): xUnit runs this collection by itself, after the parallel ones, so a
/// 2-core machine busy with hundreds of other tests does not push them past their timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial: load-heavy tests";
}
