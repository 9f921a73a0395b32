namespace Monolith.EmbeddedMongo.Commands;

/// <summary>Per-connection facts a command may need (hello's connectionId, the client's address).</summary>
internal sealed class ConnectionState(int id, string remote)
{
    public int Id { get; } = id;
    public string Remote { get; } = remote;
    public Auth.ConnectionAuth Auth { get; } = new();
}
