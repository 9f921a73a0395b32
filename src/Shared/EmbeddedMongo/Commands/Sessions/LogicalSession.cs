using Monolith.EmbeddedMongo.Commands.Transactions;

namespace Monolith.EmbeddedMongo.Commands.Sessions;

/// <summary>
/// Server-side state of one logical session (lsid). Commands of one session that carry a txnNumber run one at a
/// time under <see cref="Gate"/>; a transaction's state will hang off the same object, keyed by the same txnNumber.
/// </summary>
internal sealed class LogicalSession(Guid id, DateTime now)
{
    public Guid Id { get; } = id;

    /// <summary>Held while a command with a txnNumber executes, so a retry waits for the first attempt's record.</summary>
    public object Gate { get; } = new();

    /// <summary>Last time a command named this session; read and written under the registry's lock.</summary>
    public DateTime LastUse { get; set; } = now;

    /// <summary>Commands of this session in flight; the expiry sweep leaves a pinned session alone.</summary>
    public int Pins { get; set; }

    /// <summary>Highest txnNumber seen on this session (-1 before the first); only under <see cref="Gate"/>.</summary>
    public long TxnNumber { get; private set; } = -1;

    /// <summary>What the write of <see cref="TxnNumber"/> has done so far; only under <see cref="Gate"/>.</summary>
    public RetryableWriteRecord? Record { get; private set; }

    /// <summary>The transaction of the current txnNumber, if it is one (in progress or ended); only under <see cref="Gate"/>.</summary>
    public Transaction? Transaction { get; set; }

    /// <summary>Moves the session to <paramref name="txnNumber"/>, forgetting the previous write's record and aborting its transaction.</summary>
    public void Begin(long txnNumber)
    {
        TxnNumber = txnNumber;
        Record = null;
        Transaction?.Abort("a newer txnNumber started on the session");
        Transaction = null;
    }

    /// <summary>The session is forgotten: an open transaction of it is aborted.</summary>
    public void Ended() => Transaction?.AbortWhenIdle("the session ended");

    public void Remember(RetryableWriteRecord record) => Record = record;
}
