using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

/// <summary>$type operands: numeric BSON type codes, their string aliases and "number".</summary>
internal static class TypeAliases
{
    private static readonly Dictionary<string, int> Codes = new(StringComparer.Ordinal)
    {
        ["double"] = 1, ["string"] = 2, ["object"] = 3, ["array"] = 4, ["binData"] = 5, ["undefined"] = 6,
        ["objectId"] = 7, ["bool"] = 8, ["date"] = 9, ["null"] = 10, ["regex"] = 11, ["dbPointer"] = 12,
        ["javascript"] = 13, ["symbol"] = 14, ["javascriptWithScope"] = 15, ["int"] = 16, ["timestamp"] = 17,
        ["long"] = 18, ["decimal"] = 19, ["minKey"] = -1, ["maxKey"] = 127,
    };

    public static TypeTest Parse(BsonValue operand)
    {
        var types = new List<BsonType>();
        var anyNumber = false;
        if (operand is BsonArray array)
        {
            foreach (var item in array) Add(item, types, ref anyNumber);
        }
        else
        {
            Add(operand, types, ref anyNumber);
        }
        return new TypeTest(types.ToArray(), anyNumber);
    }

    private static void Add(BsonValue item, List<BsonType> types, ref bool anyNumber)
    {
        int code;
        if (item is BsonString s)
        {
            if (s.Value == "number")
            {
                anyNumber = true;
                return;
            }
            if (!Codes.TryGetValue(s.Value, out code)) throw MongoError.BadValue($"Unknown type name alias: {s.Value}");
        }
        else if (BsonOrder.IsNumber(item))
        {
            var d = item.ToDouble();
            if (d != Math.Floor(d) || !IsValidCode((int)d))
                throw MongoError.BadValue($"Invalid numerical type code: {item}");
            code = (int)d;
        }
        else
        {
            throw MongoError.TypeMismatch("type must be represented as a number or a string");
        }
        // DBPointer (12) has no BsonType in the .NET driver; nothing stored here can have it.
        if (code == 12) return;
        types.Add(code switch
        {
            -1 => BsonType.MinKey,
            127 => BsonType.MaxKey,
            _ => (BsonType)code,
        });
    }

    private static bool IsValidCode(int code) => code is -1 or 127 || code is >= 1 and <= 19;
}
