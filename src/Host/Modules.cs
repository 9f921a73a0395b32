using Monolith.Modules.Catalog;
using Monolith.Modules.Identity;
using Monolith.Shared.Infrastructure.Modules;

namespace Monolith.Host;

/// <summary>The one list of modules this host composes. Add a module here and nowhere else.</summary>
internal static class Modules
{
    public static readonly IReadOnlyList<ModuleDefinition> All =
    [
        new("Identity", IdentityModule.AddIdentityModule, IdentityModule.MapIdentityEndpoints),
        new("Catalog", CatalogModule.AddCatalogModule, CatalogModule.MapCatalogEndpoints),
    ];
}
