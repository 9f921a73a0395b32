namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>
/// Appends framed records to the current log segment with group commit: writers copy their record into a pending
/// buffer and get a position (LSN); one flusher thread writes and fsyncs whatever is pending as one batch and then
/// completes that batch's task, so many concurrent writers share one fsync.
/// </summary>
internal sealed class WriteAheadLog : IDisposable
{
    private readonly object _lock = new();
    private readonly Thread _flusher;
    private readonly long _segmentLimit;
    private readonly Action _onSegmentFull;
    private FileStream _file;
    private byte[] _pending = new byte[1 << 16];
    private byte[] _spare = new byte[1 << 16];
    private int _pendingLength;
    private long _appended;
    private long _durable;
    private long _inflightEnd;
    private TaskCompletionSource? _inflight;
    private TaskCompletionSource _next = NewBatch();
    private Exception? _failure;
    private bool _stopping;
    private bool _segmentFullReported;
    private long _segmentLength;

    /// <param name="file">The segment to append to, positioned at its end.</param>
    /// <param name="segmentLimit">Size past which <paramref name="onSegmentFull"/> is called (once per segment).</param>
    public WriteAheadLog(FileStream file, long segmentLimit, Action onSegmentFull)
    {
        _file = file;
        _segmentLength = file.Length;
        _segmentLimit = segmentLimit;
        _onSegmentFull = onSegmentFull;
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "embedded-mongo-wal" };
        _flusher.Start();
    }

    /// <summary>Position after the last appended record.</summary>
    public long Appended
    {
        get { lock (_lock) return _appended; }
    }

    /// <summary>Frames and buffers a record; returns its LSN (the log position after it).</summary>
    public long Append(ReadOnlySpan<byte> payload)
    {
        if (payload.Length > LogFrame.MaxPayload) throw new InvalidDataException("log record too large");
        Span<byte> header = stackalloc byte[LogFrame.HeaderSize];
        LogFrame.WriteHeader(header, payload);
        var size = LogFrame.HeaderSize + payload.Length;
        lock (_lock)
        {
            if (_failure is not null) throw new IOException("The write-ahead log failed; the server cannot accept writes.", _failure);
            if (_pending.Length - _pendingLength < size)
            {
                Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + size));
            }
            header.CopyTo(_pending.AsSpan(_pendingLength));
            payload.CopyTo(_pending.AsSpan(_pendingLength + LogFrame.HeaderSize));
            var wasEmpty = _pendingLength == 0;
            _pendingLength += size;
            _appended += size;
            if (wasEmpty) Monitor.Pulse(_lock);
            return _appended;
        }
    }

    /// <summary>Completes once every record up to <paramref name="lsn"/> is on stable storage.</summary>
    public Task WaitDurableAsync(long lsn)
    {
        lock (_lock)
        {
            if (lsn <= _durable) return Task.CompletedTask;
            if (_failure is not null) return Task.FromException(new IOException("The write-ahead log failed.", _failure));
            return _inflight is not null && lsn <= _inflightEnd ? _inflight.Task : _next.Task;
        }
    }

    /// <summary>
    /// Makes everything appended so far durable and continues in a new segment. The caller guarantees that nothing is
    /// appended meanwhile (writes are paused).
    /// </summary>
    public void Rotate(FileStream next)
    {
        WaitDurableAsync(Appended).GetAwaiter().GetResult();
        lock (_lock)
        {
            _file.Dispose();
            _file = next;
            _segmentLength = next.Length;
            _segmentFullReported = false;
        }
    }

    private void FlushLoop()
    {
        while (true)
        {
            byte[] batch;
            int length;
            long end;
            TaskCompletionSource done;
            FileStream file;
            lock (_lock)
            {
                while (_pendingLength == 0 && !_stopping) Monitor.Wait(_lock);
                if (_pendingLength == 0) return;
                batch = _pending;
                length = _pendingLength;
                _pending = _spare;
                _pendingLength = 0;
                end = _appended;
                done = _next;
                _next = NewBatch();
                _inflight = done;
                _inflightEnd = end;
                file = _file;
            }
            try
            {
                file.Write(batch, 0, length);
                file.Flush(flushToDisk: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                lock (_lock)
                {
                    _failure = ex;
                    _inflight = null;
                    _next.TrySetException(ex);
                }
                done.TrySetException(ex);
                return;
            }
            bool full;
            lock (_lock)
            {
                _durable = end;
                _inflight = null;
                _spare = batch.Length > 1 << 24 ? new byte[1 << 16] : batch;
                _segmentLength += length;
                full = _segmentLength > _segmentLimit && !_segmentFullReported;
                if (full) _segmentFullReported = true;
            }
            done.TrySetResult();
            if (full) _onSegmentFull();
        }
    }

    private static TaskCompletionSource NewBatch() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            Monitor.Pulse(_lock);
        }
        _flusher.Join();
        lock (_lock)
        {
            _next.TrySetException(new ObjectDisposedException(nameof(WriteAheadLog)));
            _file.Dispose();
        }
    }
}
