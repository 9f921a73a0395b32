namespace Monolith.EmbeddedMongo.Auth;

/// <summary>Who a connection has authenticated as, and the SASL exchange it is in the middle of.</summary>
internal sealed class ConnectionAuth
{
    /// <summary>The authenticated user's name and database, or null.</summary>
    public (string User, string Db)? User { get; set; }

    public ScramConversation? Conversation { get; set; }

    public int ConversationId { get; set; }
}
