using System.Buffers.Binary;

namespace Monolith.EmbeddedMongo.Storage;

/// <summary>
/// Stored documents packed into large byte slabs, addressed by record id, so a document costs its BSON bytes plus
/// eight bytes of location instead of an array object each. Writes append (a replaced document gets a new copy);
/// a slab whose live bytes fall below a quarter is compacted into the current one. Callers hold the collection's
/// write lock for changes and at least its read lock for reads, and copy what they keep past the lock.
/// </summary>
internal sealed class RecordStore
{
    private const int SlabSize = 1 << 20;
    private readonly List<byte[]> _slabs = [];
    private readonly List<long> _slabLiveBytes = [];
    private readonly List<Location> _locations = [];
    private readonly Stack<int> _freeIds = new();
    private int _currentSlab = -1;
    private int _currentOffset;

    public int Count { get; private set; }
    public long DataSize { get; private set; }

    /// <summary>The id the next <see cref="Add"/> will use.</summary>
    public int NextId => _freeIds.Count > 0 ? _freeIds.Peek() : _locations.Count;

    public ReadOnlyMemory<byte> Get(int id)
    {
        if (id < 0 || id >= _locations.Count) return ReadOnlyMemory<byte>.Empty;
        var location = _locations[id];
        return location.Slab < 0 ? ReadOnlyMemory<byte>.Empty : Bytes(location);
    }

    public IEnumerable<(int Id, ReadOnlyMemory<byte> Bytes)> All()
    {
        for (var id = 0; id < _locations.Count; id++)
        {
            var location = _locations[id];
            if (location.Slab >= 0) yield return (id, Bytes(location));
        }
    }

    /// <summary>A record's bytes; its length is the BSON document's own length prefix.</summary>
    private ReadOnlyMemory<byte> Bytes(Location location)
    {
        var slab = _slabs[location.Slab];
        return slab.AsMemory(location.Offset, BinaryPrimitives.ReadInt32LittleEndian(slab.AsSpan(location.Offset)));
    }

    private int LengthOf(Location location) => Bytes(location).Length;

    public int Add(ReadOnlySpan<byte> bytes)
    {
        var id = _freeIds.Count > 0 ? _freeIds.Pop() : AppendId();
        _locations[id] = Write(bytes);
        Count++;
        DataSize += bytes.Length;
        return id;
    }

    public void Replace(int id, ReadOnlySpan<byte> bytes)
    {
        var old = _locations[id];
        DataSize += bytes.Length - LengthOf(old);
        _locations[id] = Write(bytes);
        Release(old);
    }

    public void Remove(int id)
    {
        var old = _locations[id];
        if (old.Slab < 0) return;
        _locations[id] = Location.None;
        _freeIds.Push(id);
        Count--;
        DataSize -= LengthOf(old);
        Release(old);
    }

    public void Clear()
    {
        _slabs.Clear();
        _slabLiveBytes.Clear();
        _locations.Clear();
        _freeIds.Clear();
        _currentSlab = -1;
        _currentOffset = 0;
        Count = 0;
        DataSize = 0;
    }

    private int AppendId()
    {
        _locations.Add(Location.None);
        return _locations.Count - 1;
    }

    private Location Write(ReadOnlySpan<byte> bytes)
    {
        if (_currentSlab < 0 || _currentOffset + bytes.Length > _slabs[_currentSlab].Length)
        {
            StartSlab(Math.Max(SlabSize, bytes.Length));
        }
        var location = new Location(_currentSlab, _currentOffset);
        bytes.CopyTo(_slabs[_currentSlab].AsSpan(_currentOffset));
        _currentOffset += bytes.Length;
        _slabLiveBytes[_currentSlab] += bytes.Length;
        return location;
    }

    private void StartSlab(int size)
    {
        var reusable = _slabs.FindIndex(s => s.Length == 0);
        if (reusable >= 0)
        {
            _slabs[reusable] = new byte[size];
            _currentSlab = reusable;
        }
        else
        {
            _slabs.Add(new byte[size]);
            _slabLiveBytes.Add(0);
            _currentSlab = _slabs.Count - 1;
        }
        _currentOffset = 0;
    }

    private void Release(Location old)
    {
        if (old.Slab < 0) return;
        _slabLiveBytes[old.Slab] -= LengthOf(old);
        if (old.Slab != _currentSlab && _slabLiveBytes[old.Slab] < _slabs[old.Slab].Length / 4) Compact(old.Slab);
    }

    /// <summary>Moves a mostly-dead slab's live records into the current slab and frees it.</summary>
    private void Compact(int slab)
    {
        for (var id = 0; id < _locations.Count; id++)
        {
            var location = _locations[id];
            if (location.Slab != slab) continue;
            _locations[id] = Write(Bytes(location).Span);
        }
        _slabs[slab] = [];
        _slabLiveBytes[slab] = 0;
    }

    private readonly record struct Location(int Slab, int Offset)
    {
        public static readonly Location None = new(-1, 0);
    }
}
