using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using Monolith.Shared.Infrastructure.Errors;
using Monolith.Shared.Infrastructure.Modules;
using Monolith.Shared.Infrastructure.Mongo;
using Monolith.Shared.Infrastructure.Security;

namespace Monolith.Shared.Infrastructure.Idempotency;

public static class IdempotencyExtensions
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>
    /// Makes a POST safe to retry: a repeat with the same Idempotency-Key and body replays the first response, the
    /// same key with another body is 422, and a repeat while the first is still running is 409.
    /// </summary>
    public static RouteHandlerBuilder WithIdempotency(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter>().WithMetadata(new IdempotencyMetadata());
}

/// <summary>Endpoint metadata: the endpoint honours Idempotency-Key (documented in OpenAPI).</summary>
public sealed record IdempotencyMetadata;

internal sealed class IdempotencyFilter(IOptions<IdempotencyOptions> options, TimeProvider clock) : IEndpointFilter
{
    private static readonly string[] StoredHeaders = ["Location", "ETag", "Cache-Control"];

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[IdempotencyExtensions.KeyHeader].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (key.Length > 255 || key.Any(char.IsControl))
        {
            throw AppException.Validation(IdempotencyExtensions.KeyHeader, "Must be 1-255 printable characters.");
        }

        var module = http.GetEndpoint()?.Metadata.GetMetadata<ModuleMetadata>()?.Name
            ?? throw new InvalidOperationException("Idempotent endpoints must belong to a module.");
        var collection = http.RequestServices.GetRequiredKeyedService<ModuleDatabase>(module)
            .Collection<IdempotencyRecord>(IdempotencyKeysMigration.Collection);

        var owner = http.User.UserId() ?? "anonymous";
        var id = $"{owner}:{http.Request.Method}:{http.Request.Path}:{key}";
        var hash = await HashRequestAsync(http.Request);
        var now = clock.GetUtcNow();
        var record = new IdempotencyRecord { Id = id, RequestHash = hash, CreatedAt = now, ExpiresAt = now + options.Value.KeyLifetime };

        try
        {
            await collection.InsertOneAsync(record, cancellationToken: http.RequestAborted);
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            var existing = await collection.Find(r => r.Id == id).FirstOrDefaultAsync(http.RequestAborted);
            return Replay(existing, hash);
        }

        try
        {
            var result = await next(context);
            var captured = await CaptureAsync(http, result);
            if (captured.StatusCode >= 500)
            {
                await collection.DeleteOneAsync(r => r.Id == id, CancellationToken.None);
            }
            else
            {
                await collection.UpdateOneAsync(r => r.Id == id, Builders<IdempotencyRecord>.Update
                    .Set(r => r.State, IdempotencyRecord.Completed)
                    .Set(r => r.StatusCode, captured.StatusCode)
                    .Set(r => r.ContentType, captured.ContentType)
                    .Set(r => r.Headers, captured.Headers)
                    .Set(r => r.Body, captured.Body), cancellationToken: CancellationToken.None);
            }

            return Results.Empty;
        }
        catch
        {
            // The first attempt failed before producing a response: free the key so the client can retry.
            await collection.DeleteOneAsync(r => r.Id == id, CancellationToken.None);
            throw;
        }
    }

    private static IResult Replay(IdempotencyRecord? existing, string hash)
    {
        if (existing is null)
        {
            throw AppException.Conflict("A request with this Idempotency-Key is being processed; retry later.");
        }

        if (existing.RequestHash != hash)
        {
            throw new AppException(422, ErrorCodes.UnprocessableEntity,
                "This Idempotency-Key was already used with a different request body.");
        }

        if (existing.State != IdempotencyRecord.Completed)
        {
            throw AppException.Conflict("A request with this Idempotency-Key is still being processed; retry later.");
        }

        return new ReplayResult(existing);
    }

    private static async Task<string> HashRequestAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static async Task<(int StatusCode, string? ContentType, Dictionary<string, string> Headers, byte[] Body)> CaptureAsync(
        HttpContext http, object? result)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            switch (result)
            {
                case IResult r:
                    await r.ExecuteAsync(http);
                    break;
                case not null:
                    await Results.Json(result).ExecuteAsync(http);
                    break;
            }
        }
        finally
        {
            http.Response.Body = original;
        }

        var headers = StoredHeaders
            .Where(h => http.Response.Headers.ContainsKey(h))
            .ToDictionary(h => h, h => http.Response.Headers[h].ToString());
        var body = buffer.ToArray();
        await original.WriteAsync(body, http.RequestAborted);
        return (http.Response.StatusCode, http.Response.ContentType, headers, body);
    }

    private sealed class ReplayResult(IdempotencyRecord record) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = record.StatusCode;
            foreach (var (name, value) in record.Headers)
            {
                response.Headers[name] = value;
            }

            response.Headers[IdempotencyExtensions.ReplayedHeader] = "true";
            if (record.ContentType is not null)
            {
                response.ContentType = record.ContentType;
            }

            if (record.Body is { Length: > 0 } body)
            {
                await response.Body.WriteAsync(body, httpContext.RequestAborted);
            }
        }
    }
}
