namespace Monolith.Shared.Infrastructure.Idempotency;

internal sealed class IdempotencyRecord
{
    public const string InFlight = "inFlight";
    public const string Completed = "completed";

    public string Id { get; set; } = "";

    public string RequestHash { get; set; } = "";

    public string State { get; set; } = InFlight;

    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public Dictionary<string, string> Headers { get; set; } = [];

    public byte[]? Body { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
