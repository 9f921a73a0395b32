using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;
using Xunit;

namespace Monolith.EmbeddedMongo.Tests.Compatibility;

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
        Assert.Equal(expectedChunks, await chunks.CountDocumentsAsync(new BsonDocument("files_id", id), cancellationToken: ct));

        var downloaded = await bucket.DownloadAsBytesAsync(id, cancellationToken: ct);
        Assert.True(content.AsSpan().SequenceEqual(downloaded), "the downloaded bytes differ from the uploaded ones");

        var streamed = new MemoryStream();
        await bucket.DownloadToStreamByNameAsync("random.bin", streamed, cancellationToken: ct);
        Assert.True(content.AsSpan().SequenceEqual(streamed.GetBuffer().AsSpan(0, (int)streamed.Length)), "the download by name differs");

        await bucket.DeleteAsync(id, ct);

        Assert.Equal(0, await chunks.CountDocumentsAsync(new BsonDocument("files_id", id), cancellationToken: ct));
        Assert.Equal(0, await database.GetCollection<BsonDocument>("fs.files").CountDocumentsAsync(new BsonDocument("_id", id), cancellationToken: ct));
        await Assert.ThrowsAsync<GridFSFileNotFoundException>(() => bucket.DownloadAsBytesAsync(id, cancellationToken: ct));
    }
}
