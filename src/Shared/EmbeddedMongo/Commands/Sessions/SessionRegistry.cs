namespace Monolith.EmbeddedMongo.Commands.Sessions;

/// <summary>
/// The server's logical sessions keyed by lsid.id: created on first use, kept alive by every command that names
/// them, expired after <see cref="Timeout"/> of inactivity (swept lazily, at most once per <see cref="SweepInterval"/>)
/// and forgotten at once by endSessions/killSessions.
/// </summary>
internal sealed class SessionRegistry(TimeSpan timeout, TimeProvider clock)
{
    public const int DefaultTimeoutMinutes = 30;
    private readonly Dictionary<Guid, LogicalSession> _sessions = [];
    private readonly Lock _lock = new();
    private DateTime _lastSweep = clock.GetUtcNow().UtcDateTime;

    public SessionRegistry() : this(TimeSpan.FromMinutes(DefaultTimeoutMinutes), TimeProvider.System)
    {
    }

    public TimeSpan Timeout { get; } = timeout;

    public TimeSpan SweepInterval => Timeout < TimeSpan.FromMinutes(5) ? Timeout / 5 : TimeSpan.FromMinutes(1);

    public int Count
    {
        get { lock (_lock) return _sessions.Count; }
    }

    /// <summary>The session for <paramref name="id"/>, created if new, marked used and pinned until <see cref="Release"/>.</summary>
    public LogicalSession Acquire(Guid id)
    {
        var now = Now;
        lock (_lock)
        {
            if (now - _lastSweep >= SweepInterval) SweepLocked(now);
            if (!_sessions.TryGetValue(id, out var session))
            {
                session = new LogicalSession(id, now);
                _sessions.Add(id, session);
            }
            session.LastUse = now;
            session.Pins++;
            return session;
        }
    }

    public void Release(LogicalSession session)
    {
        lock (_lock)
        {
            session.Pins--;
            session.LastUse = Now;
        }
    }

    /// <summary>Marks the sessions used now (refreshSessions); unknown ones start to exist, as mongod does.</summary>
    public void Refresh(IEnumerable<Guid> ids)
    {
        var now = Now;
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (_sessions.TryGetValue(id, out var session)) session.LastUse = now;
                else _sessions.Add(id, new LogicalSession(id, now));
            }
        }
    }

    /// <summary>Forgets the sessions, their txnNumbers and their recorded write results.</summary>
    public void End(IEnumerable<Guid> ids)
    {
        lock (_lock)
        {
            foreach (var id in ids)
            {
                if (_sessions.Remove(id, out var session)) session.Ended();
            }
        }
    }

    public void EndAll()
    {
        lock (_lock)
        {
            foreach (var session in _sessions.Values) session.Ended();
            _sessions.Clear();
        }
    }

    /// <summary>Removes the sessions idle for longer than <see cref="Timeout"/>; returns how many.</summary>
    public int Sweep()
    {
        lock (_lock) return SweepLocked(Now);
    }

    private int SweepLocked(DateTime now)
    {
        _lastSweep = now;
        var expired = _sessions.Values.Where(s => s.Pins == 0 && now - s.LastUse > Timeout).Select(s => s.Id).ToList();
        foreach (var id in expired)
        {
            if (_sessions.Remove(id, out var session)) session.Ended();
        }
        return expired.Count;
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;
}
