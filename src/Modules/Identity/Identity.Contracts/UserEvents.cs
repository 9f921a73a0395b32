using Monolith.Shared.Abstractions.Events;

namespace Monolith.Modules.Identity.Contracts;

public sealed record UserRegistered(Guid EventId, DateTimeOffset OccurredAt, string UserId, string Email) : IIntegrationEvent;

public sealed record UserRolesChanged(Guid EventId, DateTimeOffset OccurredAt, string UserId, IReadOnlyList<string> Roles) : IIntegrationEvent;
