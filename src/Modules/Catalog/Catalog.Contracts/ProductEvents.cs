using Monolith.Shared.Abstractions.Events;

namespace Monolith.Modules.Catalog.Contracts;

public sealed record ProductCreated(
    Guid EventId, DateTimeOffset OccurredAt, string ProductId, string Sku, string Name, decimal PriceAmount, string Currency, string Status)
    : IIntegrationEvent;

public sealed record ProductUpdated(
    Guid EventId, DateTimeOffset OccurredAt, string ProductId, long Version, string Sku, string Name, decimal PriceAmount, string Currency, string Status)
    : IIntegrationEvent;

public sealed record ProductDeleted(Guid EventId, DateTimeOffset OccurredAt, string ProductId) : IIntegrationEvent;

public sealed record ProductRestored(Guid EventId, DateTimeOffset OccurredAt, string ProductId) : IIntegrationEvent;
