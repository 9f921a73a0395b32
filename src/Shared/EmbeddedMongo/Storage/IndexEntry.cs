using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// One index key (one value per indexed field) pointing at a record. A single-field key is held inline, without
/// an array, which halves what each entry of the common single-field index costs.
/// </summary>
internal readonly struct IndexEntry
{
    private readonly BsonValue _first;
    private readonly BsonValue[]? _compound;

    public IndexEntry(BsonValue[] key, int recordId)
    {
        _first = key[0];
        _compound = key.Length > 1 ? key : null;
        RecordId = recordId;
    }

    public int RecordId { get; }

    public int Length => _compound?.Length ?? 1;

    public BsonValue this[int i] => i == 0 ? _first : _compound![i];
}
