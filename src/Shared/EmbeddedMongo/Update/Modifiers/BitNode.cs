using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$bit: and/or/xor with int or long operands on an integral field.</summary>
internal sealed class BitNode : ModifierNode
{
    private readonly List<(string Op, BsonValue Operand)> _ops = [];

    public BitNode(BsonValue spec)
    {
        if (spec is not BsonDocument ops)
            throw MongoError.BadValue(
                $"The $bit modifier is not compatible with a {UpdatePaths.TypeName(spec)}. You must pass in an embedded " +
                "document: {$bit: {field: {and/or/xor: #}}");
        foreach (var op in ops)
        {
            if (op.Name is not ("and" or "or" or "xor"))
                throw MongoError.BadValue(
                    $"The $bit modifier only supports 'and', 'or', and 'xor', not '{op.Name}' which is an unknown operator: " +
                    $"{{{op.Name}: {UpdatePaths.Show(op.Value)}}}");
            if (op.Value.BsonType is not (BsonType.Int32 or BsonType.Int64))
                throw MongoError.BadValue(
                    $"The $bit modifier field must be an Integer(32/64 bit); a '{UpdatePaths.TypeName(op.Value)}' is not " +
                    $"supported here: {{{op.Name}: {UpdatePaths.Show(op.Value)}}}");
            _ops.Add((op.Name, op.Value));
        }
        if (_ops.Count == 0)
            throw MongoError.BadValue(
                "You must pass in at least one bitwise operation. The format is: {$bit: {field: {and/or/xor: #}}");
    }

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        if (at.Element.BsonType is not (BsonType.Int32 or BsonType.Int64))
            throw MongoError.BadValue(
                $"Cannot apply $bit to a value of non-integral type.{UpdatePaths.ShowId(state.Root)} has the field {at.Key} " +
                $"of non-integer type {UpdatePaths.TypeName(at.Element)}");
        ReplaceIfDifferent(at, Compute(at.Element));
    }

    protected override BsonValue ValueForMissing(UpdateLocation at, UpdateApplyState state) => Compute(new BsonInt32(0));

    private BsonValue Compute(BsonValue value)
    {
        foreach (var (op, operand) in _ops)
        {
            if (value.IsInt32 && operand.IsInt32)
            {
                int a = value.AsInt32, b = operand.AsInt32;
                value = new BsonInt32(op switch { "and" => a & b, "or" => a | b, _ => a ^ b });
            }
            else
            {
                long a = value.IsInt32 ? value.AsInt32 : value.AsInt64, b = operand.IsInt32 ? operand.AsInt32 : operand.AsInt64;
                value = new BsonInt64(op switch { "and" => a & b, "or" => a | b, _ => a ^ b });
            }
        }
        return value;
    }
}
