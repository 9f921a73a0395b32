using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// $size and $elemMatch: tests of an array as a whole.

internal sealed class SizeTest(int size) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex) => value is BsonArray a && a.Count == size;
}

/// <summary>$elemMatch over documents: some element that is a document matches the sub-filter.</summary>
internal sealed class ElemMatchObjectTest(MatchNode filter) : IValueTest
{
    private static BsonDocument AsDocument(BsonArray array)
    {
        var document = new BsonDocument();
        for (var i = 0; i < array.Count; i++) document.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture), array[i]);
        return document;
    }

    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        if (value is not BsonArray array) return false;
        for (var k = 0; k < array.Count; k++)
        {
            var ignored = -1;
            var element = array[k];
            // A nested array is a BSON object too (fields "0", "1", ...), so MongoDB lets the sub-filter see it.
            var candidate = element as BsonDocument ?? (element is BsonArray nested ? AsDocument(nested) : null);
            if (candidate is not null && filter.Matches(candidate, ref ignored))
            {
                arrayIndex = k;
                return true;
            }
        }
        return false;
    }
}

/// <summary>$elemMatch over values: some element passes every operator.</summary>
internal sealed class ElemMatchValueTest(IValueTest elementTest) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        if (value is not BsonArray array) return false;
        for (var k = 0; k < array.Count; k++)
        {
            var ignored = -1;
            if (elementTest.Test(array[k], ref ignored))
            {
                arrayIndex = k;
                return true;
            }
        }
        return false;
    }
}
