using System.Text.RegularExpressions;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// Tests of one value (null = missing field). Path traversal and array fan-out happen in BsonPath.MatchAny.

internal sealed class EqualsTest(BsonValue operand, Collation? collation) : IValueTest
{
    private readonly bool _operandIsNull = operand.IsBsonNull;
    private readonly int _operandType = BsonOrder.CanonicalType(operand);
    private readonly BsonType _operandBsonType = operand.BsonType;
    private readonly string? _binaryString = collation is null && operand is BsonString s ? s.Value : null;

    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        if (value is null) return _operandIsNull;
        var type = value.BsonType;
        if (_binaryString is not null && type == BsonType.String)
            return string.Equals(((BsonString)value).Value, _binaryString, StringComparison.Ordinal);
        if (type == _operandBsonType && type is BsonType.Int32 or BsonType.Int64 or BsonType.ObjectId or BsonType.Boolean)
            return value.Equals(operand);
        if (BsonOrder.CanonicalType(type) != _operandType) return false;
        return BsonOrder.CompareSameCanonicalType(value, operand, collation) == 0;
    }
}

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

/// <summary>A regular expression matched against strings and symbols; a stored regex matches when identical.</summary>
internal sealed class RegexTest(BsonRegularExpression source) : IValueTest
{
    private readonly Regex _regex = RegexTranslator.Get(source.Pattern, source.Options);

    public bool Test(BsonValue? value, ref int arrayIndex) => value switch
    {
        BsonString s => _regex.IsMatch(s.Value),
        BsonSymbol sym => _regex.IsMatch(sym.Name),
        BsonRegularExpression r => r.Pattern == source.Pattern && r.Options == source.Options,
        _ => false,
    };
}

internal sealed class InTest : IValueTest
{
    private const int HashThreshold = 8;

    private readonly BsonValue[] _values;
    private readonly RegexTest[] _regexes;
    private readonly bool _hasNull;
    private readonly Collation? _collation;
    private readonly HashSet<BsonValue>? _set;

    public InTest(BsonArray operand, Collation? collation)
    {
        var values = new List<BsonValue>();
        var regexes = new List<RegexTest>();
        foreach (var v in operand)
        {
            if (v is BsonRegularExpression r) regexes.Add(new RegexTest(r));
            else values.Add(v);
            if (v.IsBsonNull) _hasNull = true;
        }
        _values = values.ToArray();
        _regexes = regexes.ToArray();
        _collation = collation;
        if (_values.Length > HashThreshold) _set = new HashSet<BsonValue>(_values, new BsonOrder.EqualityComparer(collation));
    }

    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        if (value is null) return _hasNull;
        if (_set is not null)
        {
            if (_set.Contains(value)) return true;
        }
        else
        {
            foreach (var v in _values)
            {
                if (BsonOrder.Equal(value, v, _collation)) return true;
            }
        }
        foreach (var r in _regexes)
        {
            if (r.Test(value, ref arrayIndex)) return true;
        }
        return false;
    }
}

internal sealed class ExistsTest : IValueTest
{
    public static readonly ExistsTest Instance = new();

    public bool Test(BsonValue? value, ref int arrayIndex) => value is not null;
}

internal sealed class TypeTest(BsonType[] types, bool anyNumber) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        if (value is null) return false;
        if (anyNumber && BsonOrder.IsNumber(value)) return true;
        return Array.IndexOf(types, value.BsonType) >= 0;
    }
}

internal sealed class ModTest(long divisor, long remainder) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        if (value is null || !BsonOrder.IsNumber(value)) return false;
        long n;
        switch (value.BsonType)
        {
            case BsonType.Int32:
            case BsonType.Int64:
                n = value.ToInt64();
                break;
            default:
                var d = value.BsonType == BsonType.Double ? value.AsDouble : value.ToDouble();
                if (double.IsNaN(d) || double.IsInfinity(d) || d >= 9.2233720368547758E18 || d < -9.2233720368547758E18) return false;
                n = (long)Math.Truncate(d);
                break;
        }
        return (divisor == -1 ? 0 : n % divisor) == remainder;
    }
}

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

internal sealed class AllOfTest(IValueTest[] tests) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        foreach (var t in tests)
        {
            if (!t.Test(value, ref arrayIndex)) return false;
        }
        return true;
    }
}

internal sealed class NotTest(IValueTest inner) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex)
    {
        var ignored = -1;
        return !inner.Test(value, ref ignored);
    }
}

internal sealed class ConstantTest(bool result) : IValueTest
{
    public bool Test(BsonValue? value, ref int arrayIndex) => result;
}
