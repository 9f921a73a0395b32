using NetArchTest.Rules;

namespace Monolith.ArchitectureTests;

public sealed class ModuleRulesTests
{
    [Theory]
    [MemberData(nameof(ModuleList.Names), MemberType = typeof(ModuleList))]
    public void A_module_does_not_reference_another_modules_implementation(string name)
    {
        var module = ModuleList.Get(name);
        var others = ModuleList.All.Where(m => m != module).ToList();
        var violations = Rules.DependingOn(
            Types.InAssembly(module.Implementation).That().ResideInNamespace(module.Namespace),
            others.SelectMany(Rules.ImplementationTypeNames));
        Assert.Empty(violations);
        Assert.Empty(Rules.ReferencedAssemblyNames(module.Implementation)
            .Intersect(others.Select(o => o.Implementation.GetName().Name!)));
        Assert.DoesNotContain(ModuleList.Host.GetName().Name, Rules.ReferencedAssemblyNames(module.Implementation));
    }

    [Theory]
    [MemberData(nameof(ModuleList.Names), MemberType = typeof(ModuleList))]
    public void Contracts_reference_only_the_shared_abstractions(string name)
    {
        var module = ModuleList.Get(name);
        Assert.Empty(Rules.ContractViolations(Types.InAssembly(module.Contracts).That().ResideInNamespace(module.ContractsNamespace)));
        var ours = Rules.ReferencedAssemblyNames(module.Contracts).Where(a => a.StartsWith("Monolith.", StringComparison.Ordinal));
        Assert.Equal([ModuleList.Abstractions.GetName().Name!], ours);
        Assert.All(Rules.ReferencedAssemblyNames(module.Contracts), a =>
            Assert.True(a.StartsWith("System", StringComparison.Ordinal) || a == "netstandard" || a == ModuleList.Abstractions.GetName().Name, a));
    }

    [Theory]
    [MemberData(nameof(ModuleList.Names), MemberType = typeof(ModuleList))]
    public void Implementation_types_are_not_public_except_the_entry_point(string name)
    {
        var module = ModuleList.Get(name);
        Assert.Empty(Rules.PublicImplementationTypes(module.Implementation.GetTypes(), module.EntryPoint));
    }

    [Theory]
    [MemberData(nameof(ModuleList.Names), MemberType = typeof(ModuleList))]
    public void The_host_uses_a_module_only_through_its_entry_point(string name)
    {
        var module = ModuleList.Get(name);
        // The Mediator source generator writes its dispatch code into the host (namespace Mediator); see ADR 0003.
        var hostTypes = Types.InAssembly(ModuleList.Host).That().DoNotResideInNamespace("Mediator");
        Assert.Empty(Rules.DependingOn(hostTypes, Rules.ImplementationTypesExceptEntryPoint(module)));
    }

    [Theory]
    [MemberData(nameof(ModuleList.Names), MemberType = typeof(ModuleList))]
    public void Handlers_validators_and_endpoints_live_in_their_module(string name)
    {
        var module = ModuleList.Get(name);
        Assert.Empty(Rules.HandlersAndValidators(ModuleList.Host.GetTypes().Where(t => t.Namespace != "Mediator")));
        Assert.Empty(Rules.HandlersAndValidators(ModuleList.Infrastructure.GetTypes()));
        Assert.Empty(Rules.HandlersAndValidators(module.Contracts.GetTypes()));
        var outside = module.Implementation.GetTypes()
            .Where(t => t.Namespace is not null && !t.Namespace.StartsWith(module.Namespace, StringComparison.Ordinal) && !t.Name.StartsWith('<'))
            .Select(t => t.FullName)
            .ToList();
        Assert.True(outside.Count == 0, string.Join(", ", outside));
        Assert.NotEmpty(Rules.HandlersAndValidators(module.Implementation.GetTypes()));
    }

    [Fact]
    public void Shared_abstractions_depend_on_nothing_of_ours()
    {
        Assert.DoesNotContain(Rules.ReferencedAssemblyNames(ModuleList.Abstractions), a => a.StartsWith("Monolith.", StringComparison.Ordinal));
    }

    [Fact]
    public void Shared_infrastructure_knows_no_module()
    {
        Assert.Empty(Rules.DependingOn(Types.InAssembly(ModuleList.Infrastructure).That().ResideInNamespace("Monolith"),
            ModuleList.All.Select(m => m.Namespace)));
    }
}
