using System.Buffers.Binary;
using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// One index key pointing at a record. Single-field keys of the common scalar types (numbers, dates, ObjectIds,
/// booleans, null) are held inline, so such an entry is one struct with no object behind it and compares without
/// touching the heap; other keys keep their <see cref="BsonValue"/> (or the whole array for compound keys). The kind
/// of an inline key is told by a shared marker object in the reference slot, which keeps the entry at 24 bytes.
/// </summary>
internal readonly struct IndexEntry
{
    private readonly object _reference;
    private readonly long _bits;
    private readonly int _extra;

    public IndexEntry(BsonValue[] key, int recordId)
    {
        RecordId = recordId;
        if (key.Length > 1)
        {
            _reference = key;
            return;
        }
        var value = key[0];
        switch (value.BsonType)
        {
            case BsonType.Int32:
                _reference = Marker.Integer;
                _bits = value.AsInt32;
                break;
            case BsonType.Int64:
                _reference = Marker.Integer;
                _bits = value.AsInt64;
                break;
            case BsonType.Double:
                _reference = Marker.Double;
                _bits = BitConverter.DoubleToInt64Bits(value.AsDouble);
                break;
            case BsonType.DateTime:
                _reference = Marker.Date;
                _bits = value.AsBsonDateTime.MillisecondsSinceEpoch;
                break;
            case BsonType.ObjectId:
            {
                Span<byte> bytes = stackalloc byte[12];
                value.AsObjectId.ToByteSpan(bytes);
                _reference = Marker.ObjectId;
                _bits = BinaryPrimitives.ReadInt64BigEndian(bytes);
                _extra = BinaryPrimitives.ReadInt32BigEndian(bytes[8..]);
                break;
            }
            case BsonType.Null:
                _reference = Marker.Null;
                break;
            case BsonType.Boolean:
                _reference = Marker.Boolean;
                _bits = value.AsBoolean ? 1 : 0;
                break;
            default:
                _reference = value;
                break;
        }
    }

    private enum Kind : byte { Reference, Compound, Integer, Double, Date, ObjectId, Null, Boolean }

    private Kind KindOf => _reference switch
    {
        Marker marker => marker.Kind,
        BsonValue[] => Kind.Compound,
        _ => Kind.Reference,
    };

    private sealed class Marker(Kind kind)
    {
        public static readonly Marker Integer = new(Kind.Integer);
        public static readonly Marker Double = new(Kind.Double);
        public static readonly Marker Date = new(Kind.Date);
        public static readonly Marker ObjectId = new(Kind.ObjectId);
        public static readonly Marker Null = new(Kind.Null);
        public static readonly Marker Boolean = new(Kind.Boolean);

        public Kind Kind { get; } = kind;
    }

    public int RecordId { get; }

    public int Length => _reference is BsonValue[] compound ? compound.Length : 1;

    public BsonValue this[int i] => KindOf switch
    {
        Kind.Compound => ((BsonValue[])_reference)[i],
        Kind.Reference => (BsonValue)_reference,
        Kind.Integer => _bits is >= int.MinValue and <= int.MaxValue ? new BsonInt32((int)_bits) : new BsonInt64(_bits),
        Kind.Double => new BsonDouble(BitConverter.Int64BitsToDouble(_bits)),
        Kind.Date => new BsonDateTime(_bits),
        Kind.ObjectId => new BsonObjectId(ToObjectId()),
        Kind.Null => BsonNull.Value,
        _ => _bits != 0 ? BsonBoolean.True : BsonBoolean.False,
    };

    /// <summary>Compares the keys (not the record ids) with per-field directions.</summary>
    public static int CompareKeys(in IndexEntry x, in IndexEntry y, int[] directions, Collation? collation)
    {
        if (x._reference is not BsonValue[] && y._reference is not BsonValue[])
        {
            var c = CompareSingle(x, y, collation);
            return directions[0] < 0 ? -c : c;
        }
        for (var i = 0; i < directions.Length; i++)
        {
            var c = BsonOrder.Compare(x[i], y[i], collation);
            if (c != 0) return directions[i] < 0 ? -c : c;
        }
        return 0;
    }

    private static int CompareSingle(in IndexEntry x, in IndexEntry y, Collation? collation)
    {
        var kindX = x.KindOf;
        var kindY = y.KindOf;
        var rankX = kindX == Kind.Reference ? BsonOrder.CanonicalType((BsonValue)x._reference) : Rank(kindX);
        var rankY = kindY == Kind.Reference ? BsonOrder.CanonicalType((BsonValue)y._reference) : Rank(kindY);
        if (rankX != rankY) return rankX.CompareTo(rankY);
        if (kindX == kindY)
        {
            switch (kindX)
            {
                case Kind.Integer:
                case Kind.Date:
                    return x._bits.CompareTo(y._bits);
                case Kind.Double:
                    return BsonOrder.CompareDoubles(BitConverter.Int64BitsToDouble(x._bits), BitConverter.Int64BitsToDouble(y._bits));
                case Kind.ObjectId:
                {
                    var c = ((ulong)x._bits).CompareTo((ulong)y._bits);
                    return c != 0 ? c : ((uint)x._extra).CompareTo((uint)y._extra);
                }
                case Kind.Null:
                    return 0;
                case Kind.Boolean:
                    return x._bits.CompareTo(y._bits);
            }
        }
        return BsonOrder.Compare(x[0], y[0], collation);
    }

    private static int Rank(Kind kind) => kind switch
    {
        Kind.Integer or Kind.Double => BsonOrder.CanonicalType(BsonType.Int32),
        Kind.Date => BsonOrder.CanonicalType(BsonType.DateTime),
        Kind.ObjectId => BsonOrder.CanonicalType(BsonType.ObjectId),
        Kind.Null => BsonOrder.CanonicalType(BsonType.Null),
        _ => BsonOrder.CanonicalType(BsonType.Boolean),
    };

    private ObjectId ToObjectId()
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteInt64BigEndian(bytes, _bits);
        BinaryPrimitives.WriteInt32BigEndian(bytes[8..], _extra);
        return new ObjectId(bytes.ToArray());
    }
}
