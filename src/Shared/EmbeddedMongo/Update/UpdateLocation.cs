using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// Where an update node applies: the deepest element of its path that exists (<see cref="Element"/>, held by
/// <see cref="Parent"/> under <see cref="Key"/>) and the parts below it that do not exist yet (<see cref="ToCreate"/>).
/// Every container reached through a location is a private copy of the update (copy-on-write along the path).
/// </summary>
internal readonly record struct UpdateLocation(
    BsonValue Element, BsonValue? Parent, string Key, string Path, IReadOnlyList<string> ToCreate)
{
    public static UpdateLocation Root(BsonDocument document) => new(document, null, "", "", []);

    public bool Exists => ToCreate.Count == 0;

    public string FullPath => Exists ? Path : UpdatePaths.Join(Path, string.Join('.', ToCreate));

    public UpdateLocation Child(string field, UpdateApplyState state)
    {
        if (!Exists) return this with { ToCreate = [.. ToCreate, field] };
        if (TryDescend(Element, field, state, out var child)) return new(child, Element, field, UpdatePaths.Join(Path, field), []);
        return this with { ToCreate = [field] };
    }

    /// <summary>Moves down through parts that an earlier sibling update has created in the meantime.</summary>
    public UpdateLocation Refresh(UpdateApplyState state)
    {
        var at = this;
        while (!at.Exists && TryDescend(at.Element, at.ToCreate[0], state, out var child))
        {
            at = new UpdateLocation(child, at.Element, at.ToCreate[0], UpdatePaths.Join(at.Path, at.ToCreate[0]), at.ToCreate.Skip(1).ToArray());
        }
        return at;
    }

    /// <summary>Replaces the existing element with <paramref name="value"/>.</summary>
    public void Replace(BsonValue value)
    {
        switch (Parent)
        {
            case BsonDocument d:
                d[Key] = value;
                break;
            case BsonArray a:
                a[int.Parse(Key, System.Globalization.CultureInfo.InvariantCulture)] = value;
                break;
            default:
                throw new InvalidOperationException("The document root cannot be replaced by an update operator.");
        }
    }

    /// <summary>
    /// Steps into a child, making a container child private to the update first (see <see cref="UpdateApplyState.Own(BsonDocument, int)"/>),
    /// so the update only mutates containers it owns while untouched subtrees stay shared with the original.
    /// </summary>
    private static bool TryDescend(BsonValue element, string field, UpdateApplyState state, out BsonValue child)
    {
        switch (element)
        {
            case BsonDocument d when d.IndexOfName(field) is var i and >= 0:
                child = state.Own(d, i);
                return true;
            case BsonArray a when UpdatePaths.TryIndex(field, out var i) && i < a.Count:
                child = state.Own(a, i);
                return true;
            default:
                child = BsonNull.Value;
                return false;
        }
    }
}
