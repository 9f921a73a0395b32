namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>The kind of storage mutation a log record describes; the byte value is part of the on-disk format.</summary>
internal enum LogOp : byte
{
    Create = 1,
    Drop = 2,
    DropDatabase = 3,
    Rename = 4,
    Insert = 5,
    Replace = 6,
    Delete = 7,
    Truncate = 8,
    AddIndex = 9,
    DropIndex = 10,
    DropAllIndexesButId = 11,
    ReplaceWith = 12,

    /// <summary>A committed transaction: a count, then each of its records as length + payload; applied whole.</summary>
    Transaction = 13,
}
