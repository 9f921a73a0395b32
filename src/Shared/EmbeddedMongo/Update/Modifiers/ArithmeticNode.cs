using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Update.Modifiers;

/// <summary>$inc and $mul.</summary>
internal sealed class ArithmeticNode : ModifierNode
{
    private readonly bool _multiply;
    private readonly BsonValue _operand;

    public ArithmeticNode(string path, BsonValue operand, bool multiply)
    {
        if (!BsonArithmetic.IsNumber(operand))
            throw MongoError.TypeMismatch(
                $"Cannot {(multiply ? "multiply" : "increment")} with non-numeric argument: {{{path}: {UpdatePaths.Show(operand)}}}");
        _multiply = multiply;
        _operand = operand;
    }

    private string Name => _multiply ? "$mul" : "$inc";

    protected override void UpdateExisting(UpdateLocation at, UpdateApplyState state)
    {
        if (!BsonArithmetic.IsNumber(at.Element))
            throw MongoError.TypeMismatch(
                $"Cannot apply {Name} to a value of non-numeric type. {{{UpdatePaths.ShowId(state.Root)}}} has the field " +
                $"'{at.Key}' of non-numeric type {UpdatePaths.TypeName(at.Element)}");
        var result = (_multiply ? BsonArithmetic.Multiply(at.Element, _operand) : BsonArithmetic.Add(at.Element, _operand))
            ?? throw MongoError.BadValue(
                $"Failed to apply {Name} operations to current value ({UpdatePaths.Show(at.Element)}) for document " +
                $"{{{UpdatePaths.ShowId(state.Root)}}}");
        ReplaceIfDifferent(at, result);
    }

    // A missing field counts as 0 of the operand's type: $inc stores the operand, $mul a zero of its type.
    protected override BsonValue? ValueForMissing(UpdateLocation at, UpdateApplyState state) =>
        _multiply ? BsonArithmetic.Multiply(_operand, new BsonInt32(0)) : _operand;
}
