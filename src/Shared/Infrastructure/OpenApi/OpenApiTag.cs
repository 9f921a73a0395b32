namespace Monolith.Shared.Infrastructure.OpenApi;

/// <summary>A tag (one per module API surface) and its description for the OpenAPI document.</summary>
public sealed record OpenApiTagInfo(string Name, string Description);
