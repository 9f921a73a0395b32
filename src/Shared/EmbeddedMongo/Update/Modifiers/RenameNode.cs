using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>
/// $rename, placed in the tree at the destination (a <see cref="ConflictPlaceholderNode"/> marks the source): sets the
/// destination to the source's value, then removes the source. Neither path may run through an array.
/// </summary>
internal sealed class RenameNode : UpdateNode
{
    private readonly string _from;
    private readonly string[] _fromParts;
    private readonly string[] _toParts;

    public RenameNode(string from, string to)
    {
        if (to.Contains('\0')) throw MongoError.BadValue("The 'to' field for $rename cannot contain an embedded null byte");
        _from = from;
        _fromParts = from.Split('.');
        _toParts = to.Split('.');
        if (from == to)
            throw MongoError.BadValue($"The source and target field for $rename must differ: {from}: \"{to}\"");
        if (IsPrefix(_fromParts, _toParts) || IsPrefix(_toParts, _fromParts))
            throw MongoError.BadValue($"The source and target field for $rename must not be on the same path: {from}: \"{to}\"");
        if (_fromParts.Any(p => UpdatePaths.IsPositional(p) || UpdatePaths.IsArrayFilter(p)))
            throw MongoError.BadValue($"The source field for $rename may not be dynamic: {from}");
        if (_toParts.Any(p => UpdatePaths.IsPositional(p) || UpdatePaths.IsArrayFilter(p)))
            throw MongoError.BadValue($"The destination field for $rename may not be dynamic: {to}");
    }

    private static bool IsPrefix(string[] prefix, string[] path) =>
        prefix.Length <= path.Length && prefix.AsSpan().SequenceEqual(path.AsSpan(0, prefix.Length));

    public override void Apply(UpdateLocation at, UpdateApplyState state)
    {
        if (FindSource(state) is not var (sourceParent, sourceValue)) return;
        CheckDestinationHasNoArray(state);

        if (at.Exists)
        {
            if (!BsonExact.Equal(at.Element, sourceValue)) at.Replace(sourceValue);
        }
        else
        {
            UpdatePaths.Create(at, sourceValue);
        }
        sourceParent.Remove(_fromParts[^1]);
    }

    private (BsonDocument Parent, BsonValue Value)? FindSource(UpdateApplyState state)
    {
        BsonValue current = state.Root;
        BsonDocument? parent = null;
        for (var i = 0; i < _fromParts.Length; i++)
        {
            var part = _fromParts[i];
            switch (current)
            {
                case BsonDocument d:
                    var at = d.IndexOfName(part);
                    if (at < 0) return null;
                    parent = d;
                    current = i < _fromParts.Length - 1 ? state.Own(d, at) : d[at];
                    break;
                case BsonArray a when UpdatePaths.TryIndex(part, out var index):
                    if (index >= a.Count) return null;
                    throw MongoError.BadValue(
                        $"The source field cannot be an array element, '{_from}' in doc with {UpdatePaths.ShowId(state.Root)} " +
                        $"has an array field called '{_fromParts[i - 1]}'");
                default:
                    throw MongoError.PathNotViable(
                        $"cannot use the part ({part} of {_from}) to traverse the element ({UpdatePaths.Show(current)})");
            }
        }
        return (parent!, current);
    }

    private void CheckDestinationHasNoArray(UpdateApplyState state)
    {
        BsonValue current = state.Root;
        for (var i = 0; i < _toParts.Length - 1; i++)
        {
            if (current is not BsonDocument d || !d.TryGetValue(_toParts[i], out var next)) return;
            if (next is BsonArray)
                throw MongoError.BadValue(
                    $"The destination field cannot be an array element, '{string.Join('.', _toParts)}' in doc with " +
                    $"{UpdatePaths.ShowId(state.Root)} has an array field called '{_toParts[i]}'");
            current = next;
        }
    }
}
