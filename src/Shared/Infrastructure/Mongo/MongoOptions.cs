namespace Monolith.Shared.Infrastructure.Mongo;

/// <summary>Database settings; the connection string itself comes from ConnectionStrings:Mongo.</summary>
public sealed class MongoOptions
{
    public const string Section = "Mongo";

    public string Database { get; set; } = "monolith";

    public int MaxPoolSize { get; set; } = 100;

    public int MinPoolSize { get; set; }

    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ServerSelectionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan SocketTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
