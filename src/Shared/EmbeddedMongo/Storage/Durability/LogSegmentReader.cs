namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>Reads one log segment's records for recovery and tells an intact log from a torn or corrupt one.</summary>
internal static class LogSegmentReader
{
    /// <summary>Where the intact records of a segment end and why reading stopped there.</summary>
    internal readonly record struct Result(long ValidLength, long FileLength, int Records);

    /// <summary>
    /// Applies every intact record in order. A damaged record with nothing intact after it is a torn tail (the last
    /// write before a crash); it is reported through ValidLength &lt; FileLength and never applied. A damaged record
    /// followed by an intact one means the log was corrupted in the middle: that throws, since skipping it would lose
    /// acknowledged writes silently.
    /// </summary>
    public static Result Replay(string path, Action<ReadOnlySpan<byte>> apply)
    {
        var log = File.ReadAllBytes(path);
        long offset = 0;
        var records = 0;
        while (offset < log.Length)
        {
            if (!LogFrame.TryRead(log, offset, out var length))
            {
                if (FindIntactFrameAfter(log, offset) is { } later)
                    throw new InvalidDataException($"The write-ahead log '{path}' is corrupt at byte {offset} but has intact records after it (at byte {later}). Refusing to start: restore the data directory from a backup or move the damaged log aside knowing that writes after byte {offset} are lost.");
                break;
            }
            apply(log.AsSpan((int)offset + LogFrame.HeaderSize, length));
            offset += LogFrame.HeaderSize + length;
            records++;
        }
        return new Result(offset, log.Length, records);
    }

    private static long? FindIntactFrameAfter(byte[] log, long damaged)
    {
        for (var candidate = damaged + 1; candidate <= log.Length - LogFrame.HeaderSize - LogFrame.MinPayload; candidate++)
        {
            if (LogFrame.TryRead(log, candidate, out _)) return candidate;
        }
        return null;
    }
}
