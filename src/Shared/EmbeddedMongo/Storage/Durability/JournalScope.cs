namespace Monolith.EmbeddedMongo.Storage.Durability;

/// <summary>
/// Brackets one storage mutation (the in-memory change and its log record) so a checkpoint never sees half of it.
/// Does nothing when there is no journal (in-memory mode).
/// </summary>
internal readonly struct JournalScope : IDisposable
{
    private readonly Journal? _journal;

    public JournalScope(Journal? journal)
    {
        _journal = journal;
        journal?.EnterMutation();
    }

    public void Dispose() => _journal?.ExitMutation();
}
