using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// Byte-level equality as MongoDB uses it to decide whether an update changed a document: types must match
/// (int 1 differs from double 1.0), field order matters, doubles compare by their bits.
/// </summary>
internal static class BsonExact
{
    public static bool Equal(BsonValue a, BsonValue b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.BsonType != b.BsonType) return false;
        switch (a)
        {
            case BsonDocument da:
            {
                var db = (BsonDocument)b;
                if (da.ElementCount != db.ElementCount) return false;
                for (var i = 0; i < da.ElementCount; i++)
                {
                    var ea = da.GetElement(i);
                    var eb = db.GetElement(i);
                    if (!string.Equals(ea.Name, eb.Name, StringComparison.Ordinal) || !Equal(ea.Value, eb.Value)) return false;
                }
                return true;
            }
            case BsonArray aa:
            {
                var ab = (BsonArray)b;
                if (aa.Count != ab.Count) return false;
                for (var i = 0; i < aa.Count; i++)
                {
                    if (!Equal(aa[i], ab[i])) return false;
                }
                return true;
            }
            case BsonDouble x:
                return BitConverter.DoubleToInt64Bits(x.Value) == BitConverter.DoubleToInt64Bits(((BsonDouble)b).Value);
            case BsonDecimal128 x:
            {
                var y = ((BsonDecimal128)b).Value;
                return x.Value.GetIEEEHighBits() == y.GetIEEEHighBits() && x.Value.GetIEEELowBits() == y.GetIEEELowBits();
            }
            case BsonString x:
                return string.Equals(x.Value, ((BsonString)b).Value, StringComparison.Ordinal);
            case BsonBinaryData x:
            {
                var y = (BsonBinaryData)b;
                return x.SubType == y.SubType && x.Bytes.AsSpan().SequenceEqual(y.Bytes);
            }
            case BsonRegularExpression x:
            {
                var y = (BsonRegularExpression)b;
                return string.Equals(x.Pattern, y.Pattern, StringComparison.Ordinal)
                    && string.Equals(x.Options, y.Options, StringComparison.Ordinal);
            }
            case BsonJavaScriptWithScope x:
            {
                var y = (BsonJavaScriptWithScope)b;
                return string.Equals(x.Code, y.Code, StringComparison.Ordinal) && Equal(x.Scope, y.Scope);
            }
            case BsonJavaScript x:
                return string.Equals(x.Code, ((BsonJavaScript)b).Code, StringComparison.Ordinal);
            case BsonNull or BsonUndefined or BsonMinKey or BsonMaxKey:
                return true;
            default:
                return a.Equals(b);
        }
    }
}
