using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

internal enum ComparisonKind { LessThan, LessOrEqual, GreaterThan, GreaterOrEqual }

/// <summary>$lt/$lte/$gt/$gte with type bracketing: only values of the operand's canonical type compare.</summary>
internal sealed class ComparisonTest(ComparisonKind kind, BsonValue operand, Collation? collation) : IValueTest
{
    private readonly int _operandType = BsonOrder.CanonicalType(operand);
    private readonly bool _operandIsMinOrMax = operand.BsonType is BsonType.MinKey or BsonType.MaxKey;
    private readonly bool _operandIsNaN = IsNaN(operand);
    private readonly bool _inclusive = kind is ComparisonKind.LessOrEqual or ComparisonKind.GreaterOrEqual;

    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        value ??= BsonNull.Value;
        int c;
        if (_operandIsMinOrMax)
        {
            c = BsonOrder.Compare(value, operand, collation);
        }
        else
        {
            var type = BsonOrder.CanonicalType(value.BsonType);
            if (type != _operandType) return false;
            if (type == 10 && (_operandIsNaN || IsNaN(value)))
                return _inclusive && _operandIsNaN && IsNaN(value);
            c = BsonOrder.CompareSameCanonicalType(value, operand, collation);
        }
        return kind switch
        {
            ComparisonKind.LessThan => c < 0,
            ComparisonKind.LessOrEqual => c <= 0,
            ComparisonKind.GreaterThan => c > 0,
            _ => c >= 0,
        };
    }

    private static bool IsNaN(BsonValue v) => v.BsonType switch
    {
        BsonType.Double => double.IsNaN(v.AsDouble),
        BsonType.Decimal128 => Decimal128.IsNaN(v.AsDecimal128),
        _ => false,
    };
}
