using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Linq;
using OpenIddict.Abstractions;

namespace Monolith.Modules.Identity.OpenId.Stores;

/// <summary>Conversions and query helpers the four OpenIddict stores share.</summary>
internal static class StoreValues
{
    /// <summary>Most documents a single prune call removes; the job runs again at the next tick.</summary>
    public const int PruneBatch = 1_000;

    public const int PruneMaxPerCall = 100_000;

    public static bool IsObjectId(string? id) => id is not null && ObjectId.TryParse(id, out _);

    public static ImmutableDictionary<string, JsonElement> ReadProperties(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return ImmutableDictionary<string, JsonElement>.Empty;
        }

        using var document = JsonDocument.Parse(json);
        var builder = ImmutableDictionary.CreateBuilder<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            builder[property.Name] = property.Value.Clone();
        }

        return builder.ToImmutable();
    }

    public static string? WriteProperties(ImmutableDictionary<string, JsonElement>? properties) =>
        properties is null || properties.IsEmpty ? null : JsonSerializer.Serialize(properties);

    public static ImmutableDictionary<CultureInfo, string> ReadCultures(Dictionary<string, string> values) =>
        values.ToImmutableDictionary(v => CultureInfo.GetCultureInfo(v.Key), v => v.Value);

    public static Dictionary<string, string> WriteCultures(ImmutableDictionary<CultureInfo, string>? values) =>
        values?.ToDictionary(v => v.Key.Name, v => v.Value, StringComparer.Ordinal) ?? [];

    public static ImmutableArray<string> Read(List<string> values) => [.. values];

    public static List<string> Write(ImmutableArray<string> values) => values.IsDefault ? [] : [.. values];

    public static OpenIddictExceptions.ConcurrencyException Conflict(string what) => new(
        $"The {what} was changed or deleted by someone else since it was read; reload it and try again.");

    public static async IAsyncEnumerable<T> Stream<T>(IAsyncCursorSource<T> source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await source.ToCursorAsync(cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var item in cursor.Current)
            {
                yield return item;
            }
        }
    }

    public static async IAsyncEnumerable<T> Stream<T>(IQueryable<T> query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await query.ToCursorAsync(cancellationToken);
        while (await cursor.MoveNextAsync(cancellationToken))
        {
            foreach (var item in cursor.Current)
            {
                yield return item;
            }
        }
    }

    /// <summary>Deletes the documents matching <paramref name="filter"/> in batches of ids, so no request grows unbounded.</summary>
    public static async Task<long> DeleteInBatchesAsync<T>(IMongoCollection<T> collection, FilterDefinition<T> filter, CancellationToken cancellationToken)
    {
        var deleted = 0L;
        while (deleted < PruneMaxPerCall)
        {
            var ids = await collection.Find(filter).Limit(PruneBatch)
                .Project(Builders<T>.Projection.Include("_id"))
                .ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                break;
            }

            var result = await collection.DeleteManyAsync(Builders<T>.Filter.In("_id", ids.Select(d => d["_id"])), cancellationToken);
            deleted += result.DeletedCount;
            if (ids.Count < PruneBatch)
            {
                break;
            }
        }

        return deleted;
    }
}
