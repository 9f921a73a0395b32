using System.Globalization;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands.ChangeStreams;

/// <summary>Resume tokens: <c>{_data: "&lt;hex sequence&gt;"}</c>, opaque to clients, ordered like the change feed.</summary>
internal static class ResumeTokens
{
    public static BsonDocument For(long sequence) => new("_data", sequence.ToString("X16", CultureInfo.InvariantCulture));

    public static long Parse(BsonDocument token)
    {
        if (token.GetValue("_data", BsonNull.Value) is BsonString data
            && long.TryParse(data.Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var sequence))
            return sequence;
        throw MongoError.BadValue($"invalid resume token: {token.ToJson()}");
    }
}
