using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Monolith.Modules.Identity.OpenId.Stores;

/// <summary>
/// A short-lived, in-process cache of token and authorization entries by id, so that validating a bearer token (which
/// reads its token entry and its authorization on every request, see docs/adr/0015) does not cost database reads on
/// every request. Every write of this process (update, delete, revocation, prune) invalidates the whole cache, and a
/// read that raced a write is not cached, so this process never serves an entry older than its own last write. Another
/// instance's revocation is seen after at most <c>Identity:EntryCacheDuration</c> (default 1 s; zero turns the cache off).
/// Entries are handed out as copies: OpenIddict mutates entities before updating them, and updates filter on the
/// concurrency token, so a stale copy can never overwrite a newer entry.
/// </summary>
internal sealed class OidcEntryCache(IOptions<OidcOptions> options, TimeProvider clock)
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly TimeSpan duration = options.Value.EntryCacheDuration;
    private long generation;

    public bool Enabled => duration > TimeSpan.Zero;

    public TimeSpan Duration => duration;

    /// <summary>Read before going to the database; pass it to <see cref="Set"/> so a read that raced a write is dropped.</summary>
    public long Generation => Interlocked.Read(ref generation);

    public T? Get<T>(string id, Func<T, T> copy) where T : class
    {
        if (!Enabled || !entries.TryGetValue(id, out var entry) || entry.Value is not T value)
        {
            return null;
        }

        return entry.Generation == Generation && entry.ExpiresAt > clock.GetUtcNow() ? copy(value) : null;
    }

    public void Set<T>(string id, T? value, long readGeneration, Func<T, T> copy) where T : class
    {
        if (!Enabled || value is null || readGeneration != Generation)
        {
            return;
        }

        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        entries[id] = new Entry(copy(value), clock.GetUtcNow() + duration, readGeneration);
    }

    /// <summary>After any write: every cached entry (and any read in flight) becomes stale.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref generation);
        if (Enabled && !entries.IsEmpty)
        {
            entries.Clear();
        }
    }

    private sealed record Entry(object Value, DateTimeOffset ExpiresAt, long Generation);
}
