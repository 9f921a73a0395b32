using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Aggregation;

/// <summary>$unwind: one output document per array element; non-arrays pass as a single element.</summary>
internal sealed class UnwindStage(string[] path, string[]? indexField, bool preserve) : Stage
{
    public static UnwindStage Parse(BsonValue spec)
    {
        string? path = null, index = null;
        var preserve = false;
        switch (spec)
        {
            case BsonString s:
                path = s.Value;
                break;
            case BsonDocument d:
                foreach (var e in d)
                {
                    switch (e.Name)
                    {
                        case "path":
                            path = e.Value is BsonString p ? p.Value : throw MongoError.Location(28808, $"expected a string as the path for $unwind stage, got {Values.TypeName(e.Value)}");
                            break;
                        case "includeArrayIndex":
                            index = e.Value is BsonString { Value.Length: > 0 } i ? i.Value : throw MongoError.Location(28810, $"expected a non-empty string for the includeArrayIndex  option to $unwind stage, got {Values.TypeName(e.Value)}");
                            if (index.StartsWith('$')) throw MongoError.Location(28822, $"includeArrayIndex option to $unwind stage should not be prefixed with a '$': {index}");
                            break;
                        case "preserveNullAndEmptyArrays":
                            preserve = e.Value is BsonBoolean b ? b.Value : throw MongoError.Location(28809, $"expected a boolean for the preserveNullAndEmptyArrays option to $unwind stage, got {Values.TypeName(e.Value)}");
                            break;
                        default:
                            throw MongoError.Location(28811, $"unrecognized option to $unwind stage: {e.Name}");
                    }
                }
                if (path is null) throw MongoError.Location(28812, "no path specified to $unwind stage");
                break;
            default:
                throw MongoError.Location(15981, $"expected either a string or an object as specification for $unwind stage, got {Values.TypeName(spec)}");
        }
        if (path.Length == 0) throw MongoError.Location(28812, "no path specified to $unwind stage");
        if (!path.StartsWith('$') || path.Length == 1)
            throw MongoError.Location(28818, $"path option to $unwind stage should be prefixed with a '$': {path}");
        return new UnwindStage(DocumentPaths.Split(path[1..]), index is null ? null : DocumentPaths.Split(index), preserve);
    }

    public override IEnumerable<BsonDocument> Apply(IEnumerable<BsonDocument> input)
    {
        foreach (var document in input)
        {
            var value = DocumentPaths.Get(document, path);
            if (value is BsonArray array)
            {
                if (array.Count == 0)
                {
                    if (preserve) yield return WithIndex(RemovePath(document), BsonNull.Value);
                    continue;
                }
                for (var i = 0; i < array.Count; i++)
                    yield return WithIndex(DocumentPaths.With(document, path, array[i]), new BsonInt64(i));
            }
            else if (Values.IsNullish(value))
            {
                if (preserve) yield return WithIndex(document, BsonNull.Value);
            }
            else
            {
                yield return WithIndex(document, BsonNull.Value);
            }
        }
    }

    private BsonDocument RemovePath(BsonDocument document)
    {
        if (path.Length == 1)
        {
            var copy = new BsonDocument(document.AsEnumerable());
            copy.Remove(path[0]);
            return copy;
        }
        var parent = DocumentPaths.Get(document, path[..^1]) as BsonDocument;
        if (parent is null) return document;
        var trimmed = new BsonDocument(parent.AsEnumerable());
        trimmed.Remove(path[^1]);
        return DocumentPaths.With(document, path[..^1], trimmed);
    }

    private BsonDocument WithIndex(BsonDocument document, BsonValue index) =>
        indexField is null ? document : DocumentPaths.With(document, indexField, index);
}
