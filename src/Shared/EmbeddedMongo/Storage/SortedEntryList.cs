namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// An ordered multiset of index entries kept in small sorted chunks (a flat B+-tree of one level), which costs
/// about one struct per entry instead of a tree node per entry.
/// </summary>
internal sealed class SortedEntryList(IComparer<IndexEntry> comparer)
{
    private const int ChunkCapacity = 256;
    private readonly List<Chunk> _chunks = [];

    public int Count { get; private set; }

    public void Add(IndexEntry entry)
    {
        if (_chunks.Count == 0)
        {
            _chunks.Add(new Chunk());
        }
        var chunkIndex = FindChunkForInsert(entry);
        var chunk = _chunks[chunkIndex];
        var pos = chunk.LowerBound(entry, comparer);
        Count++;
        if (chunk.Count < ChunkCapacity)
        {
            chunk.Insert(pos, entry);
            return;
        }
        if (pos == chunk.Count && chunkIndex == _chunks.Count - 1)
        {
            // Appending in key order (ascending ids, timestamps): start a new chunk and leave this one full.
            var next = new Chunk();
            next.Insert(0, entry);
            _chunks.Add(next);
            return;
        }
        var upper = chunk.SplitUpperHalf();
        _chunks.Insert(chunkIndex + 1, upper);
        if (pos <= chunk.Count) chunk.Insert(pos, entry);
        else upper.Insert(pos - chunk.Count, entry);
    }

    public bool Remove(IndexEntry entry)
    {
        var (chunkIndex, pos) = LowerBound(entry);
        if (chunkIndex >= _chunks.Count) return false;
        var chunk = _chunks[chunkIndex];
        if (pos >= chunk.Count || comparer.Compare(chunk.Items[pos], entry) != 0) return false;
        chunk.RemoveAt(pos);
        Count--;
        if (chunk.Count == 0 && _chunks.Count > 1) _chunks.RemoveAt(chunkIndex);
        return true;
    }

    /// <summary>Entries from the first one not less than <paramref name="start"/> to the last one not greater than <paramref name="end"/>.</summary>
    public IEnumerable<IndexEntry> Range(IndexEntry start, IndexEntry end)
    {
        var (chunkIndex, pos) = LowerBound(start);
        for (; chunkIndex < _chunks.Count; chunkIndex++, pos = 0)
        {
            var chunk = _chunks[chunkIndex];
            for (; pos < chunk.Count; pos++)
            {
                var item = chunk.Items[pos];
                if (comparer.Compare(item, end) > 0) yield break;
                yield return item;
            }
        }
    }

    /// <summary>The same range as <see cref="Range"/>, last entry first.</summary>
    public IEnumerable<IndexEntry> RangeReverse(IndexEntry start, IndexEntry end)
    {
        var (chunkIndex, pos) = UpperBound(end);
        pos--;
        for (; chunkIndex >= 0; chunkIndex--)
        {
            if (chunkIndex >= _chunks.Count) continue;
            var chunk = _chunks[chunkIndex];
            if (pos >= chunk.Count) pos = chunk.Count - 1;
            for (; pos >= 0; pos--)
            {
                var item = chunk.Items[pos];
                if (comparer.Compare(item, start) < 0) yield break;
                yield return item;
            }
            pos = int.MaxValue;
        }
    }

    public IEnumerable<IndexEntry> All()
    {
        foreach (var chunk in _chunks)
        {
            for (var i = 0; i < chunk.Count; i++) yield return chunk.Items[i];
        }
    }

    public void Clear()
    {
        _chunks.Clear();
        Count = 0;
    }

    private int FindChunkForInsert(IndexEntry entry)
    {
        int lo = 0, hi = _chunks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            var chunk = _chunks[mid];
            if (chunk.Count > 0 && comparer.Compare(chunk.Items[0], entry) <= 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    private (int Chunk, int Pos) LowerBound(IndexEntry entry)
    {
        // The first chunk whose last item is >= entry holds the lower bound.
        int lo = 0, hi = _chunks.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            var chunk = _chunks[mid];
            if (chunk.Count == 0 || comparer.Compare(chunk.Items[chunk.Count - 1], entry) < 0) lo = mid + 1;
            else hi = mid;
        }
        if (lo == _chunks.Count) return (lo, 0);
        return (lo, _chunks[lo].LowerBound(entry, comparer));
    }

    private (int Chunk, int Pos) UpperBound(IndexEntry entry)
    {
        // The last chunk whose first item is <= entry holds the upper bound.
        int lo = -1, hi = _chunks.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            var chunk = _chunks[mid];
            if (chunk.Count > 0 && comparer.Compare(chunk.Items[0], entry) <= 0) lo = mid;
            else hi = mid - 1;
        }
        if (lo < 0) return (-1, 0);
        return (lo, _chunks[lo].UpperBound(entry, comparer));
    }

    private sealed class Chunk
    {
        public IndexEntry[] Items = new IndexEntry[16];
        public int Count;

        public int LowerBound(IndexEntry entry, IComparer<IndexEntry> comparer)
        {
            int lo = 0, hi = Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (comparer.Compare(Items[mid], entry) < 0) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        public int UpperBound(IndexEntry entry, IComparer<IndexEntry> comparer)
        {
            int lo = 0, hi = Count;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (comparer.Compare(Items[mid], entry) <= 0) lo = mid + 1;
                else hi = mid;
            }
            return lo;
        }

        public void Insert(int pos, IndexEntry entry)
        {
            if (Count == Items.Length) Array.Resize(ref Items, Math.Min(Items.Length * 2, ChunkCapacity + 1));
            Array.Copy(Items, pos, Items, pos + 1, Count - pos);
            Items[pos] = entry;
            Count++;
        }

        public void RemoveAt(int pos)
        {
            Array.Copy(Items, pos + 1, Items, pos, Count - pos - 1);
            Count--;
            Items[Count] = default;
        }

        public Chunk SplitUpperHalf()
        {
            var half = Count / 2;
            var upper = new Chunk { Items = new IndexEntry[ChunkCapacity], Count = Count - half };
            Array.Copy(Items, half, upper.Items, 0, upper.Count);
            Array.Clear(Items, half, Count - half);
            Count = half;
            return upper;
        }
    }
}
