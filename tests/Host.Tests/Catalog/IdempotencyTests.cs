using System.Net;
using System.Security.Cryptography;
using System.Text;
using MongoDB.Bson;
using MongoDB.Driver;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Catalog;

public sealed class IdempotencyTests(CatalogApp app) : IClassFixture<CatalogApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Post(string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, CatalogApi.Products) { Content = Http.Json(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task A_repeat_with_the_same_key_and_body_replays_the_first_response()
    {
        var body = CatalogApi.Product().ToJsonString();
        var key = Guid.NewGuid().ToString();
        using var first = Post(body, key);
        var original = await app.Writer().SendAsync(first, Ct);
        Assert.Equal(HttpStatusCode.Created, original.StatusCode);

        using var second = Post(body, key);
        var replay = await app.Writer().SendAsync(second, Ct);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(original.Headers.Location, replay.Headers.Location);
        Assert.Equal(await original.Content.ReadAsStringAsync(Ct), await replay.Content.ReadAsStringAsync(Ct));
        Assert.False(original.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_returns_422()
    {
        var key = Guid.NewGuid().ToString();
        using var first = Post(CatalogApi.Product().ToJsonString(), key);
        Assert.Equal(HttpStatusCode.Created, (await app.Writer().SendAsync(first, Ct)).StatusCode);
        using var second = Post(CatalogApi.Product().ToJsonString(), key);
        await (await app.Writer().SendAsync(second, Ct)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "UNPROCESSABLE_ENTITY");
    }

    [Fact]
    public async Task A_duplicate_while_the_first_is_in_flight_returns_409()
    {
        var body = CatalogApi.Product().ToJsonString();
        var key = Guid.NewGuid().ToString();
        // The state the first request leaves while its handler runs: an in-flight record for this key and body.
        await app.Database.GetCollection<BsonDocument>("catalog.idempotency").InsertOneAsync(new BsonDocument
        {
            { "_id", $"alice:POST:{CatalogApi.Products}:{key}" },
            { "requestHash", Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body))) },
            { "state", "inFlight" },
            { "createdAt", DateTime.UtcNow },
            { "expiresAt", DateTime.UtcNow.AddHours(24) },
        }, cancellationToken: Ct);

        using var duplicate = Post(body, key);
        await (await app.Writer().SendAsync(duplicate, Ct)).ProblemAsync(HttpStatusCode.Conflict, "CONFLICT");
    }

    [Fact]
    public async Task Simultaneous_duplicates_create_exactly_one_product()
    {
        var sku = CatalogApi.NewSku("RACE");
        var body = CatalogApi.Product(sku).ToJsonString();
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var request = Post(body, key);
            return await app.Writer().SendAsync(request, Ct);
        }));

        // Each duplicate either waited for nothing and saw the first in flight (409) or came after it (replay).
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created && !r.Headers.Contains("Idempotent-Replayed"));
        var stored = await app.Database.GetCollection<BsonDocument>("catalog.products")
            .Find(new BsonDocument("sku", sku)).ToListAsync(Ct);
        Assert.Single(stored);
    }

    [Fact]
    public async Task A_failed_first_attempt_frees_the_key_for_a_retry()
    {
        var key = Guid.NewGuid().ToString();
        using var invalid = Post("""{"sku":"","name":"","price":{"amount":1,"currency":"EUR"},"stock":1}""", key);
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Writer().SendAsync(invalid, Ct)).StatusCode);
        using var valid = Post(CatalogApi.Product().ToJsonString(), key);
        Assert.Equal(HttpStatusCode.Created, (await app.Writer().SendAsync(valid, Ct)).StatusCode);
    }

    [Fact]
    public async Task Keys_expire_through_a_ttl_index_of_24_hours_worth_of_records()
    {
        var indexes = await (await app.Database.GetCollection<BsonDocument>("catalog.idempotency").Indexes.ListAsync(Ct)).ToListAsync(Ct);
        var ttl = Assert.Single(indexes, i => i.Contains("expireAfterSeconds"));
        Assert.Equal(0, ttl["expireAfterSeconds"].ToInt32());
        Assert.Equal(new BsonDocument("expiresAt", 1), ttl["key"].AsBsonDocument);
    }
}
