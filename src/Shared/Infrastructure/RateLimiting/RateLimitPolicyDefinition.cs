using Microsoft.Extensions.DependencyInjection;

namespace Monolith.Shared.Infrastructure.RateLimiting;

/// <summary>A named rate-limit policy a module uses; its limits can be overridden in RateLimiting:Policies:&lt;name&gt;.</summary>
public sealed record RateLimitPolicyDefinition(string Name, int PermitLimit, TimeSpan Window);

public static class RateLimitPolicyRegistration
{
    public static IServiceCollection AddRateLimitPolicy(this IServiceCollection services, string name, int permitLimit, TimeSpan window) =>
        services.AddSingleton(new RateLimitPolicyDefinition(name, permitLimit, window));
}
