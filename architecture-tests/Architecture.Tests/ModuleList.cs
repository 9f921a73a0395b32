using System.Reflection;
using Monolith.Modules.Catalog;
using Monolith.Modules.Catalog.Contracts;
using Monolith.Modules.Identity;
using Monolith.Modules.Identity.Contracts;

namespace Monolith.ArchitectureTests;

/// <summary>A module as the rules see it: its implementation assembly, its contracts and its one entry-point class.</summary>
public sealed record ModuleUnderTest(string Name, Assembly Implementation, Assembly Contracts, Type EntryPoint)
{
    public string Namespace => $"Monolith.Modules.{Name}";

    public string ContractsNamespace => $"Monolith.Modules.{Name}.Contracts";

    public override string ToString() => Name;
}

/// <summary>The one list every rule runs over. A new module is added here and gets every rule.</summary>
public static class ModuleList
{
    public static readonly IReadOnlyList<ModuleUnderTest> All =
    [
        new("Catalog", typeof(CatalogModule).Assembly, typeof(ICatalogModuleApi).Assembly, typeof(CatalogModule)),
        new("Identity", typeof(IdentityModule).Assembly, typeof(IIdentityModuleApi).Assembly, typeof(IdentityModule)),
    ];

    public static TheoryData<string> Names => new(All.Select(m => m.Name));

    public static ModuleUnderTest Get(string name) => All.Single(m => m.Name == name);

    public static Assembly Host => typeof(Program).Assembly;

    public static Assembly Abstractions => typeof(Monolith.Shared.Abstractions.Events.IIntegrationEvent).Assembly;

    public static Assembly Infrastructure => typeof(Monolith.Shared.Infrastructure.PlatformExtensions).Assembly;
}
