namespace Monolith.Shared.Abstractions.Events;

/// <summary>Reacts to an integration event published by another (or the same) module. Must be idempotent.</summary>
public interface IIntegrationEventHandler<in TEvent>
    where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent integrationEvent, CancellationToken cancellationToken);
}
