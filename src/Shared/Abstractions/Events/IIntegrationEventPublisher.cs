namespace Monolith.Shared.Abstractions.Events;

/// <summary>Hands integration events to their subscribers.</summary>
public interface IIntegrationEventPublisher
{
    Task PublishAsync<TEvent>(TEvent integrationEvent, CancellationToken cancellationToken)
        where TEvent : IIntegrationEvent;
}
