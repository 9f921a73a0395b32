namespace Monolith.Shared.Abstractions.Events;

/// <summary>A fact one module tells the others about; past tense, immutable, versioned by its type name.</summary>
public interface IIntegrationEvent
{
    Guid EventId { get; }

    DateTimeOffset OccurredAt { get; }
}
