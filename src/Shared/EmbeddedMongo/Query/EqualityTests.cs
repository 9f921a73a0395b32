using System.Text.RegularExpressions;
using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Query;

// Equality, $in and regular expressions on one value (null = missing field).

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
