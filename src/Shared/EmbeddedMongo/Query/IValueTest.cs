using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>A test applied to each value a query path reaches; <c>null</c> stands for a missing field.</summary>
internal interface IValueTest
{
    /// <summary>Tests one candidate; may set <paramref name="arrayIndex"/> (e.g. the element an $elemMatch matched).</summary>
    bool Test(BsonValue? value, ref int arrayIndex);
}
