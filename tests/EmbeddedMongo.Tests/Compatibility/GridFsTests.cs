using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Compatibility;

[Collection(SerialCollection.Name)]
public sealed class GridFsTests(ServerFixture server)
{
    private const int Size = 20 * 1024 * 1024;

    [Fact(Timeout = 120_000)]
    public async Task A_20_MB_file_uploads_downloads_byte_for_byte_and_deletes()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = server.NewDatabase();
        var bucket = new GridFSBucket(database);
        var content = new byte[Size];
        new Random(20_240_601).NextBytes(content);

        var id = await bucket.UploadFromBytesAsync("random.bin", content, cancellationToken: ct);

        var info = await (await bucket.FindAsync(Builders<GridFSFileInfo>.Filter.Eq(f => f.Id, id), cancellationToken: ct)).SingleAsync(ct);
        Assert.Equal(Size, info.Length);
        Assert.Equal("random.bin", info.Filename);
        var chunks = database.GetCollection<BsonDocument>("fs.chunks");
        var expectedChunks = (Size + info.ChunkSizeBytes - 1) / info.ChunkSizeBytes;
        Assert.Equal(expectedChunks, await CountAsync(chunks, new BsonDocument("files_id", id)));

        var downloaded = await bucket.DownloadAsBytesAsync(id, cancellationToken: ct);
        Assert.True(content.AsSpan().SequenceEqual(downloaded), "the downloaded bytes differ from the uploaded ones");

        var streamed = new MemoryStream();
        await bucket.DownloadToStreamByNameAsync("random.bin", streamed, cancellationToken: ct);
        Assert.True(content.AsSpan().SequenceEqual(streamed.GetBuffer().AsSpan(0, (int)streamed.Length)), "the download by name differs");

        await bucket.DeleteAsync(id, ct);

        Assert.Equal(0, await CountAsync(chunks, new BsonDocument("files_id", id)));
        Assert.Equal(0, await CountAsync(database.GetCollection<BsonDocument>("fs.files"), new BsonDocument("_id", id)));
        await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => bucket.DownloadAsBytesAsync(id, cancellationToken: ct));
    }

    // The count command, so that this test depends on GridFS's own commands, not on the aggregation engine.
    private static async Task<long> CountAsync(IMongoCollection<BsonDocument> collection, BsonDocument filter)
    {
        var reply = await collection.Database.RunCommandAsync<BsonDocument>(
            new BsonDocument { { "count", collection.CollectionNamespace.CollectionName }, { "query", filter } },
            cancellationToken: TestContext.Current.CancellationToken);
        return reply["n"].ToInt64();
    }
}
