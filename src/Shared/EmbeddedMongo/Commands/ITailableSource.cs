using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands;

/// <summary>A cursor whose results keep arriving (a change stream): each batch may wait for new results.</summary>
internal interface ITailableSource
{
    /// <summary>Up to <paramref name="max"/> results, waiting at most <paramref name="maxAwait"/> when there are none yet.</summary>
    BsonArray NextBatch(int max, TimeSpan maxAwait, out bool closed);

    /// <summary>Where a new stream would resume to continue after everything examined so far.</summary>
    BsonDocument ResumeToken { get; }
}
