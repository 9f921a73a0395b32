using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$push of one value, or with <c>$each</c> and the optional <c>$position</c>, <c>$sort</c>, <c>$slice</c>.</summary>
internal sealed class PushNode : ModifierNode
{
    private readonly List<BsonValue> _values = [];
    private readonly long _position = long.MaxValue;
    private readonly long? _slice;
    private readonly PushSort? _sort;

    public PushNode(BsonValue spec)
    {
        if (spec is not BsonDocument clauses || !clauses.Contains("$each"))
        {
            _values.Add(spec);
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var clause in clauses)
        {
            if (clause.Name is not ("$each" or "$slice" or "$sort" or "$position"))
                throw MongoError.BadValue($"Unrecognized clause in $push: {clause.Name}");
            if (!seen.Add(clause.Name)) throw MongoError.BadValue($"Only one {clause.Name} is supported.");
        }
        if (clauses["$each"] is not BsonArray each)
            throw MongoError.BadValue(
                $"The argument to $each in $push must be an array but it was of type: {UpdatePaths.TypeName(clauses["$each"])}");
        _values.AddRange(each);
        if (clauses.TryGetValue("$slice", out var slice))
        {
            _slice = UpdatePaths.TryInteger(slice, out var n)
                ? n
                : throw MongoError.BadValue(
                    $"The value for $slice must be an integer value but was given type: {UpdatePaths.TypeName(slice)}");
        }
        if (clauses.TryGetValue("$sort", out var sort)) _sort = PushSort.Parse(sort);
        if (clauses.TryGetValue("$position", out var position))
        {
            _position = UpdatePaths.TryInteger(position, out var p)
                ? p
                : throw MongoError.BadValue(
                    $"The value for $position must be an integer value, not of type: {UpdatePaths.TypeName(position)}");
        }
    }

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        if (at.Element is not BsonArray array)
            throw MongoError.BadValue(
                $"The field '{at.Path}' must be an array but is of type {UpdatePaths.TypeName(at.Element)} in document " +
                $"{{{UpdatePaths.ShowId(state.Root)}}}");
        Push(array, state.Context.Collation);
    }

    protected override BsonValue ValueForMissing(UpdateLocation at, UpdateApplyState state)
    {
        var array = new BsonArray();
        Push(array, state.Context.Collation);
        return array;
    }

    private void Push(BsonArray array, Collation? collation)
    {
        var values = _values.Select(UpdatePaths.Fresh).ToList();
        long size = array.Count;
        int index;
        if (size == 0 || _position > size) index = array.Count;
        else if (_position > 0) index = (int)_position;
        else if (_position < 0 && _position > -size) index = (int)(size + _position);
        else index = 0;
        for (var i = 0; i < values.Count; i++) array.Insert(index + i, values[i]);

        if (_sort is not null)
        {
            var sorted = array.Select((v, i) => (v, i)).ToList();
            sorted.Sort((x, y) =>
            {
                var c = _sort.Compare(x.v, y.v, collation);
                return c != 0 ? c : x.i.CompareTo(y.i);
            });
            array.Clear();
            array.AddRange(sorted.Select(p => p.v));
        }

        if (_slice is { } slice)
        {
            var keep = slice == long.MinValue ? long.MaxValue : Math.Abs(slice);
            while (array.Count > keep) array.RemoveAt(slice >= 0 ? array.Count - 1 : 0);
        }
    }
}
