using Monolith.Modules.Catalog;
using Monolith.Shared.Infrastructure.Errors;

// Deliberately broken code the rules must catch (see RulesCatchViolationsTests). Not used anywhere else.
namespace Monolith.ArchitectureTests.Violations.BadContracts
{
    /// <summary>A "contract" that leaks infrastructure: contracts may only use the shared abstractions.</summary>
    public sealed record LeakyEvent(AppException Error);
}

namespace Monolith.ArchitectureTests.Violations.BadModule
{
    /// <summary>A "module" type that reaches into another module (and is public although it is implementation).</summary>
    public sealed class ReachesIntoCatalog
    {
        public static void Wire(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints) => endpoints.MapCatalogEndpoints();
    }
}
