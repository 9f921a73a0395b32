namespace Monolith.Shared.Infrastructure.Modules;

/// <summary>Endpoint metadata naming the module that owns an endpoint (for logs and rules).</summary>
public sealed record ModuleMetadata(string Name);
