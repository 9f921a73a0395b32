using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Commands.Sessions;

/// <summary>The session fields a command may carry: lsid, txnNumber and autocommit.</summary>
internal readonly record struct OperationSessionInfo(Guid? SessionId, long? TxnNumber, bool HasAutocommit)
{
    public static OperationSessionInfo Parse(BsonDocument command)
    {
        Guid? id = command.TryGetValue("lsid", out var lsid) ? ParseLsid(lsid) : null;
        long? txnNumber = null;
        if (command.TryGetValue("txnNumber", out var txn))
        {
            if (txn is not (BsonInt64 or BsonInt32))
                throw MongoError.TypeMismatch($"BSON field 'OperationSessionInfo.txnNumber' is the wrong type '{txn.BsonType}', expected type 'long'");
            txnNumber = txn.ToInt64();
            if (txnNumber < 0) throw MongoError.BadValue($"TxnNumber cannot be negative but was {txnNumber}");
        }
        return new OperationSessionInfo(id, txnNumber, command.Contains("autocommit"));
    }

    /// <summary>The UUID of a session document <c>{ id: UUID, uid?: ... }</c>, as endSessions and lsid name it.</summary>
    public static Guid ParseLsid(BsonValue lsid)
    {
        if (lsid is not BsonDocument document)
            throw MongoError.TypeMismatch($"BSON field 'OperationSessionInfo.lsid' is the wrong type '{lsid.BsonType}', expected type 'object'");
        if (!document.TryGetValue("id", out var id))
            throw MongoError.FailedToParse("BSON field 'OperationSessionInfo.lsid.id' is missing but a required field");
        if (id is not BsonBinaryData { SubType: BsonBinarySubType.UuidStandard, Bytes.Length: 16 } binary)
            throw MongoError.TypeMismatch($"BSON field 'OperationSessionInfo.lsid.id' is the wrong type '{id.BsonType}', expected a UUID");
        return new Guid(binary.Bytes);
    }
}
