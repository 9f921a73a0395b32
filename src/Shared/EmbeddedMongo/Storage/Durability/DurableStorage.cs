using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>
/// A --dbpath data directory: <c>checkpoint-N.ckpt</c> (the catalog as it was when log segment N began) and
/// <c>wal-M.log</c> segments (M &gt;= N) holding every mutation after it. Start-up loads the newest checkpoint and
/// replays the segments; a checkpoint is taken when a segment grows past its limit and on a clean stop, after which
/// older files are deleted, so start-up time is bounded by the data size plus one segment.
/// </summary>
internal sealed class DurableStorage : IDisposable
{
    public const int FormatVersion = 2;
    private const string VersionFile = "storage.version";
    private const string CheckpointPrefix = "checkpoint-";
    private const string CheckpointExtension = ".ckpt";
    private const string LogPrefix = "wal-";
    private const string LogExtension = ".log";

    private readonly string _path;
    private readonly StorageEngine _storage;
    private readonly ILogger _logger;
    private readonly Lock _checkpointLock = new();
    private long _segment;
    private int _checkpointScheduled;
    private Task _background = Task.CompletedTask;

    private DurableStorage(string path, StorageEngine storage, ILogger logger)
    {
        _path = path;
        _storage = storage;
        _logger = logger;
    }

    public Journal Journal { get; private set; } = null!;

    /// <summary>Checks the format version, recovers the catalog into <paramref name="storage"/> and starts logging.</summary>
    public static DurableStorage Open(string path, StorageEngine storage, long segmentLimit, ILogger logger)
    {
        Directory.CreateDirectory(path);
        var durable = new DurableStorage(path, storage, logger);
        var legacy = durable.CheckVersion();
        var clock = Stopwatch.StartNew();
        if (legacy) SnapshotFiles.Load(path, storage);
        var segment = durable.Recover();
        var file = new FileStream(durable.LogPath(segment), FileMode.Append, FileAccess.Write, FileShare.Read, 1);
        DirectorySync.Sync(path);
        var log = new WriteAheadLog(file, segmentLimit, durable.ScheduleCheckpoint);
        durable.Journal = new Journal(log);
        storage.AttachJournal(durable.Journal);
        logger.LogInformation("Recovered {DataPath} in {ElapsedMs} ms", path, clock.ElapsedMilliseconds);
        if (legacy)
        {
            durable.Checkpoint();
            foreach (var old in Directory.EnumerateFiles(path, "*.col", SearchOption.AllDirectories)) File.Delete(old);
        }
        durable.WriteVersion();
        return durable;
    }

    /// <summary>True when the directory holds the clean-stop snapshot files of format version 1.</summary>
    private bool CheckVersion()
    {
        var versionPath = Path.Combine(_path, VersionFile);
        if (!File.Exists(versionPath))
            return Directory.EnumerateFiles(_path, "*.col", SearchOption.AllDirectories).Any();
        var text = File.ReadAllText(versionPath).Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version > FormatVersion)
            throw new InvalidOperationException($"The data directory '{_path}' was written by storage format version '{text}', newer than this server's version {FormatVersion}. Use a newer server or another --dbpath.");
        return version < FormatVersion;
    }

    private void WriteVersion()
    {
        var versionPath = Path.Combine(_path, VersionFile);
        if (File.Exists(versionPath) && File.ReadAllText(versionPath).Trim() == FormatVersion.ToString(CultureInfo.InvariantCulture)) return;
        var temp = versionPath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(FormatVersion.ToString(CultureInfo.InvariantCulture)));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, versionPath, overwrite: true);
        DirectorySync.Sync(_path);
    }

    /// <summary>Loads the newest checkpoint, replays the log after it, cuts a torn tail; returns the segment to append to.</summary>
    private long Recover()
    {
        foreach (var temp in Directory.EnumerateFiles(_path, "*.tmp")) File.Delete(temp);
        var checkpoints = Numbered(CheckpointPrefix, CheckpointExtension);
        var checkpoint = checkpoints.Count > 0 ? checkpoints[^1] : 0;
        if (checkpoints.Count > 0) CheckpointFile.Load(CheckpointPath(checkpoint), _storage);
        var segments = Numbered(LogPrefix, LogExtension).Where(s => s >= checkpoint).ToList();
        for (var i = 0; i < segments.Count; i++)
        {
            var path = LogPath(segments[i]);
            var result = LogSegmentReader.Replay(path, payload => LogReplayer.Apply(_storage, payload));
            if (result.ValidLength == result.FileLength) continue;
            if (i < segments.Count - 1)
                throw new InvalidDataException($"The write-ahead log '{path}' is damaged at byte {result.ValidLength} although a newer segment follows it. Refusing to start.");
            _logger.LogWarning("Discarding a torn record at the end of {LogFile}: {Bytes} bytes after offset {Offset} (a write that was never acknowledged)",
                path, result.FileLength - result.ValidLength, result.ValidLength);
            using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(result.ValidLength);
            file.Flush(flushToDisk: true);
        }
        _segment = segments.Count > 0 ? segments[^1] : checkpoint;
        return _segment;
    }

    private void ScheduleCheckpoint()
    {
        if (Interlocked.Exchange(ref _checkpointScheduled, 1) == 1) return;
        _background = Task.Run(() =>
        {
            try
            {
                Checkpoint();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogError(ex, "Checkpoint of {DataPath} failed; the log keeps growing until one succeeds", _path);
            }
            finally
            {
                Volatile.Write(ref _checkpointScheduled, 0);
            }
        });
    }

    /// <summary>
    /// Writes the catalog as checkpoint N+1 and continues the log in segment N+1 (N: the current segment). Writes are paused while the image
    /// is written to the page cache (readers go on); the fsyncs and renames happen after writes resume. Every step
    /// leaves a directory that recovers to the same state: the new checkpoint only counts once it is renamed into
    /// place, and the old files are deleted only after that.
    /// </summary>
    public void Checkpoint()
    {
        lock (_checkpointLock)
        {
            var clock = Stopwatch.StartNew();
            var next = _segment + 1;
            var temp = CheckpointPath(next) + ".tmp";
            Journal.PauseWrites();
            try
            {
                Journal.Log.Rotate(new FileStream(LogPath(next), FileMode.Append, FileAccess.Write, FileShare.Read, 1));
                _segment = next;
                DirectorySync.Sync(_path);
                CheckpointFile.Write(temp, _storage);
            }
            finally
            {
                Journal.ResumeWrites();
            }
            var paused = clock.ElapsedMilliseconds;
            using (var file = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite)) file.Flush(flushToDisk: true);
            File.Move(temp, CheckpointPath(next));
            DirectorySync.Sync(_path);
            foreach (var old in Numbered(CheckpointPrefix, CheckpointExtension).Where(s => s < next)) File.Delete(CheckpointPath(old));
            foreach (var old in Numbered(LogPrefix, LogExtension).Where(s => s < next)) File.Delete(LogPath(old));
            _logger.LogInformation("Checkpoint {Sequence} of {DataPath} written in {ElapsedMs} ms (writes paused {PausedMs} ms)", next, _path, clock.ElapsedMilliseconds, paused);
        }
    }

    private List<long> Numbered(string prefix, string extension) =>
        Directory.EnumerateFiles(_path, prefix + "*" + extension)
            .Select(f => Path.GetFileName(f)[prefix.Length..^extension.Length])
            .Select(n => long.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1)
            .Where(s => s >= 0)
            .Order()
            .ToList();

    private string CheckpointPath(long sequence) => Path.Combine(_path, $"{CheckpointPrefix}{sequence:D8}{CheckpointExtension}");

    private string LogPath(long sequence) => Path.Combine(_path, $"{LogPrefix}{sequence:D8}{LogExtension}");

    /// <summary>Clean stop: waits for a running checkpoint, takes a final one (so the next start replays nothing) and closes the log.</summary>
    public void Dispose()
    {
        _background.GetAwaiter().GetResult();
        Checkpoint();
        Journal.Log.Dispose();
    }
}
