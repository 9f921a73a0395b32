using MongoDB.Bson;

namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>Applies log records to the catalog during recovery (no journal is attached yet, so nothing is re-logged).</summary>
internal static class LogReplayer
{
    public static void Apply(StorageEngine storage, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var op = (LogOp)reader.Byte();
        var database = reader.String();
        var name = reader.String();
        switch (op)
        {
            case LogOp.Create:
                storage.Create(database, name, reader.Document(), failIfExists: false);
                break;
            case LogOp.Drop:
                storage.Drop(database, name);
                break;
            case LogOp.DropDatabase:
                storage.DropDatabase(database);
                break;
            case LogOp.Rename:
            {
                var toDb = reader.String();
                var to = reader.String();
                storage.Rename(database, name, toDb, to, dropTarget: reader.Byte() != 0);
                break;
            }
            case LogOp.Insert:
            {
                var bytes = reader.DocumentBytes();
                storage.GetOrCreate(database, name).Insert(Documents.FromBytes(bytes), bytes);
                break;
            }
            case LogOp.Replace:
            {
                var bytes = reader.DocumentBytes();
                var after = Documents.FromBytes(bytes);
                var collection = Existing(storage, database, name);
                var recordId = RecordOf(collection, after["_id"]);
                collection.Replace(recordId, Documents.FromBytes(collection.Get(recordId).Span), after, bytes);
                break;
            }
            case LogOp.Delete:
            {
                var collection = Existing(storage, database, name);
                var recordId = RecordOf(collection, reader.Document()["_id"]);
                collection.Delete(recordId, Documents.FromBytes(collection.Get(recordId).Span));
                break;
            }
            case LogOp.Truncate:
                Existing(storage, database, name).Truncate();
                break;
            case LogOp.AddIndex:
                Existing(storage, database, name).AddIndex(IndexDefinition.Parse(reader.Document()));
                break;
            case LogOp.DropIndex:
                Existing(storage, database, name).DropIndex(reader.String());
                break;
            case LogOp.DropAllIndexesButId:
                Existing(storage, database, name).DropAllIndexesButId();
                break;
            case LogOp.ReplaceWith:
            {
                var replacement = new CollectionStore(database, name, reader.Document());
                foreach (var spec in reader.Document()["indexes"].AsBsonArray.Skip(1)) replacement.AddIndex(IndexDefinition.Parse(spec.AsBsonDocument));
                var count = reader.Int32();
                for (var i = 0; i < count; i++)
                {
                    var bytes = reader.DocumentBytes();
                    replacement.Insert(Documents.FromBytes(bytes), bytes);
                }
                storage.Create(database, name, [], failIfExists: false);
                storage.ReplaceWith(database, name, replacement);
                break;
            }
            case LogOp.Transaction:
            {
                var count = reader.Int32();
                for (var i = 0; i < count; i++) Apply(storage, reader.Bytes(reader.Int32()));
                break;
            }
            default:
                throw new InvalidDataException($"unknown log record type {(byte)op}");
        }
    }

    private static CollectionStore Existing(StorageEngine storage, string database, string name) =>
        storage.Find(database, name) ?? throw new InvalidDataException($"log record for {database}.{name}, which does not exist at that point");

    private static int RecordOf(CollectionStore collection, BsonValue id)
    {
        var recordId = collection.FindById(id);
        return recordId >= 0 ? recordId : throw new InvalidDataException($"log record for _id {id} in {collection.Namespace}, which does not exist at that point");
    }
}
