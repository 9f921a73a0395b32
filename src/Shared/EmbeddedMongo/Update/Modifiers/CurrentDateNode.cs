using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$currentDate: <c>true</c> or <c>{$type: "date"}</c> stores a date, <c>{$type: "timestamp"}</c> a timestamp.</summary>
internal sealed class CurrentDateNode : ModifierNode
{
    private static readonly Lock TimestampLock = new();
    private static long _lastTimestamp;

    private readonly bool _timestamp;

    public CurrentDateNode(BsonValue spec)
    {
        switch (spec)
        {
            case BsonBoolean:
                break;
            case BsonDocument options:
            {
                var valid = false;
                foreach (var option in options)
                {
                    if (option.Name != "$type")
                        throw MongoError.BadValue($"Unrecognized $currentDate option: {option.Name}");
                    if (option.Value is BsonString { Value: "date" or "timestamp" } type)
                    {
                        _timestamp = type.Value == "timestamp";
                        valid = true;
                    }
                }
                if (!valid)
                    throw MongoError.BadValue(
                        "The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}");
                break;
            }
            default:
                throw MongoError.BadValue(
                    $"{UpdatePaths.TypeName(spec)} is not valid type for $currentDate. Please use a boolean ('true') or a " +
                    "$type expression ({$type: 'timestamp/date'}).");
        }
    }

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state) => at.Replace(Now(state));

    protected override BsonValue ValueForMissing(UpdateLocation at, UpdateApplyState state) => Now(state);

    private BsonValue Now(UpdateApplyState state) =>
        _timestamp ? NextTimestamp(state.Context.Now) : new BsonDateTime(state.Context.Now);

    /// <summary>A timestamp of the given second whose increment grows, so timestamps are unique and ordered.</summary>
    public static BsonTimestamp NextTimestamp(DateTime now)
    {
        var seconds = new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc)).ToUnixTimeSeconds();
        lock (TimestampLock)
        {
            var candidate = seconds << 32 | 1;
            _lastTimestamp = candidate > _lastTimestamp ? candidate : _lastTimestamp + 1;
            return new BsonTimestamp(_lastTimestamp);
        }
    }
}
