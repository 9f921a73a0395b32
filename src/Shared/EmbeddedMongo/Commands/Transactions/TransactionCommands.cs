using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands.Transactions;

/// <summary>commitTransaction and abortTransaction (admin commands; <see cref="TransactionScope"/> finds the transaction).</summary>
internal static class TransactionCommands
{
    public static void Register(Dictionary<string, Func<CommandContext, BsonDocument>> handlers)
    {
        handlers["commitTransaction"] = Commit;
        handlers["abortTransaction"] = Abort;
    }

    private static BsonDocument Commit(CommandContext c)
    {
        RequireAdmin(c);
        Current(c).Commit();
        return [];
    }

    private static BsonDocument Abort(CommandContext c)
    {
        RequireAdmin(c);
        Current(c).Abort("abortTransaction");
        return [];
    }

    private static Transaction Current(CommandContext c) =>
        Transaction.Current ?? throw MongoError.InvalidOptions($"{c.Name} must be run within a transaction (with lsid, txnNumber and autocommit: false)");

    private static void RequireAdmin(CommandContext c)
    {
        if (c.Database != "admin") throw MongoError.Unauthorized($"{c.Name} may only be run against the admin database.");
    }
}
