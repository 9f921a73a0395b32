using MongoDB.Bson;
using Monolith.EmbeddedMongo.Query;
using Monolith.EmbeddedMongo.Update.Modifiers;

namespace Monolith.EmbeddedMongo.Update;

/// <summary>
/// Turns an operator document (<c>{$set: {...}, $inc: {...}}</c>) into one tree of paths, reporting conflicting
/// paths, bad arguments and unused array filters the way MongoDB does.
/// </summary>
internal static class OperatorUpdateParser
{
    private static readonly HashSet<string> Operators =
    [
        "$set", "$unset", "$inc", "$mul", "$min", "$max", "$rename", "$setOnInsert", "$currentDate",
        "$push", "$addToSet", "$pop", "$pull", "$pullAll", "$bit",
    ];

    public static ObjectUpdateNode Parse(BsonDocument update, ArrayFilterSet filters, QueryContext context)
    {
        var root = new ObjectUpdateNode();
        var usedIdentifiers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var modifier in update)
        {
            if (!Operators.Contains(modifier.Name))
                throw MongoError.FailedToParse(
                    $"Unknown modifier: {modifier.Name}. Expected a valid update modifier or pipeline-style update specified as an array");
            if (modifier.Value is not BsonDocument fields)
                throw MongoError.FailedToParse(
                    $"Modifiers operate on fields but we found type {UpdatePaths.TypeName(modifier.Value)} instead. For example: " +
                    $"{{$mod: {{<field>: ...}}}} not {{{modifier.Name}: {UpdatePaths.Show(modifier.Value)}}}");
            foreach (var field in fields)
            {
                if (modifier.Name == "$rename")
                {
                    AddPath(root, field.Name, () => new ConflictPlaceholderNode(), filters, usedIdentifiers);
                    if (field.Value is not BsonString to)
                        throw MongoError.BadValue(
                            $"The 'to' field for $rename must be a string: {field.Name}: {UpdatePaths.Show(field.Value)}");
                    AddPath(root, to.Value, () => new RenameNode(field.Name, to.Value), filters, usedIdentifiers);
                }
                else
                {
                    var name = modifier.Name;
                    AddPath(root, field.Name, () => CreateLeaf(name, field, context), filters, usedIdentifiers);
                }
            }
        }
        foreach (var identifier in filters.Identifiers)
        {
            if (!usedIdentifiers.Contains(identifier))
                throw MongoError.FailedToParse(
                    $"The array filter for identifier '{identifier}' was not used in the update {UpdatePaths.Show(update)}");
        }
        return root;
    }

    private static UpdateNode CreateLeaf(string modifier, BsonElement field, QueryContext context) => modifier switch
    {
        "$set" => new SetNode(field.Value, onInsertOnly: false),
        "$setOnInsert" => new SetNode(field.Value, onInsertOnly: true),
        "$unset" => new UnsetNode(),
        "$inc" => new ArithmeticNode(field.Name, field.Value, multiply: false),
        "$mul" => new ArithmeticNode(field.Name, field.Value, multiply: true),
        "$min" => new CompareNode(field.Value, max: false),
        "$max" => new CompareNode(field.Value, max: true),
        "$currentDate" => new CurrentDateNode(field.Value),
        "$push" => new PushNode(field.Value),
        "$addToSet" => new AddToSetNode(field.Value, context.Collation),
        "$pop" => new PopNode(field.Value),
        "$pull" => PullNode.Pull(field.Value, context),
        "$pullAll" => PullNode.PullAll(field.Value),
        "$bit" => new BitNode(field.Value),
        _ => throw MongoError.FailedToParse($"Unknown modifier: {modifier}"),
    };

    private static void AddPath(
        ObjectUpdateNode root, string path, Func<UpdateNode> createLeaf, ArrayFilterSet filters, HashSet<string> usedIdentifiers)
    {
        if (path.Length == 0) throw new MongoError(56, "EmptyFieldName", "An empty update path is not valid.");
        var parts = path.Split('.');
        if (parts.Any(p => p.Length == 0))
            throw new MongoError(56, "EmptyFieldName",
                $"The update path '{path}' contains an empty field name, which is not allowed.");
        var positionals = parts.Select((p, i) => (p, i)).Where(x => UpdatePaths.IsPositional(x.p)).ToList();
        if (positionals.Count > 1)
            throw MongoError.BadValue($"Too many positional (i.e. '$') elements found in path '{path}'");
        if (positionals.Count == 1 && positionals[0].i == 0)
            throw MongoError.BadValue($"Cannot have positional (i.e. '$') element in the first position in path '{path}'");

        var leaf = createLeaf();

        UpdateNode current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var name = ChildName(parts, i, path, filters, usedIdentifiers);
            var existing = GetChild(current, name);
            if (i == parts.Length - 1)
            {
                if (existing is not null)
                    throw MongoError.ConflictingUpdateOperators($"Updating the path '{path}' would create a conflict at '{path}'");
                SetChild(current, name, leaf);
                return;
            }
            var wantArray = UpdatePaths.IsArrayFilter(parts[i + 1]);
            if (existing is null)
            {
                existing = wantArray ? new ArrayUpdateNode(filters) : new ObjectUpdateNode();
                SetChild(current, name, existing);
            }
            else if (wantArray ? existing is not ArrayUpdateNode : existing is not ObjectUpdateNode)
            {
                throw MongoError.ConflictingUpdateOperators(
                    $"Updating the path '{path}' would create a conflict at '{string.Join('.', parts.Take(i + 1))}'");
            }
            current = existing;
        }
    }

    private static string ChildName(string[] parts, int i, string path, ArrayFilterSet filters, HashSet<string> used)
    {
        var part = parts[i];
        if (!UpdatePaths.IsArrayFilter(part)) return part;
        if (i == 0)
            throw MongoError.BadValue(
                $"Cannot have array filter identifier (i.e. '$[<id>]') element in the first position in path '{path}'");
        var identifier = part[2..^1];
        if (identifier.Length == 0) return identifier;
        if (!filters.Contains(identifier))
            throw MongoError.BadValue($"No array filter found for identifier '{identifier}' in path '{path}'");
        used.Add(identifier);
        return identifier;
    }

    private static UpdateNode? GetChild(UpdateNode node, string name) => node switch
    {
        ObjectUpdateNode o => o.GetChild(name),
        ArrayUpdateNode a => a.Children.GetValueOrDefault(name),
        _ => null,
    };

    private static void SetChild(UpdateNode node, string name, UpdateNode child)
    {
        switch (node)
        {
            case ObjectUpdateNode o:
                o.SetChild(name, child);
                break;
            case ArrayUpdateNode a:
                a.Children.Add(name, child);
                break;
        }
    }
}
