using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Monolith.Shared.Abstractions.Events;

namespace Monolith.Shared.Infrastructure.Events;

/// <summary>
/// Delivers integration events to their handlers in this process, after the state change is stored. A failing
/// handler is logged and does not fail the request; the transactional outbox replaces this with at-least-once delivery.
/// </summary>
internal sealed partial class InProcessIntegrationEventPublisher(
    IServiceScopeFactory scopes, ILogger<InProcessIntegrationEventPublisher> logger) : IIntegrationEventPublisher
{
    public async Task PublishAsync<TEvent>(TEvent integrationEvent, CancellationToken cancellationToken)
        where TEvent : IIntegrationEvent
    {
        await using var scope = scopes.CreateAsyncScope();
        var handlers = scope.ServiceProvider.GetServices<IIntegrationEventHandler<TEvent>>().ToList();
        LogPublished(logger, typeof(TEvent).Name, integrationEvent.EventId, handlers.Count);
        foreach (var handler in handlers)
        {
            try
            {
                await handler.HandleAsync(integrationEvent, cancellationToken);
            }
            catch (Exception ex)
            {
                LogHandlerFailed(logger, ex, typeof(TEvent).Name, integrationEvent.EventId, handler.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Published {EventType} {IntegrationEventId} to {HandlerCount} handlers")]
    private static partial void LogPublished(ILogger logger, string eventType, Guid integrationEventId, int handlerCount);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "Handler {Handler} failed on {EventType} {IntegrationEventId}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string eventType, Guid integrationEventId, string handler);
}
