using NetArchTest.Rules;

namespace Monolith.ArchitectureTests;

/// <summary>The rules are only worth something if they fail on bad code: run them on a deliberately bad type set.</summary>
public sealed class RulesCatchViolationsTests
{
    private const string BadContracts = "Monolith.ArchitectureTests.Violations.BadContracts";
    private const string BadModule = "Monolith.ArchitectureTests.Violations.BadModule";

    [Fact]
    public void The_contracts_rule_flags_a_contract_that_uses_infrastructure()
    {
        var violations = Rules.ContractViolations(Types.InCurrentDomain().That().ResideInNamespace(BadContracts));
        Assert.Contains($"{BadContracts}.LeakyEvent", violations);
    }

    [Fact]
    public void The_module_boundary_rule_flags_a_reference_to_another_module()
    {
        var violations = Rules.DependingOn(Types.InCurrentDomain().That().ResideInNamespace(BadModule),
            ModuleList.All.SelectMany(Rules.ImplementationTypeNames));
        Assert.Contains($"{BadModule}.ReachesIntoCatalog", violations);
    }

    [Fact]
    public void The_visibility_rule_flags_a_public_implementation_type()
    {
        var types = typeof(RulesCatchViolationsTests).Assembly.GetTypes().Where(t => t.Namespace == BadModule);
        Assert.Contains($"{BadModule}.ReachesIntoCatalog", Rules.PublicImplementationTypes(types, entryPoint: null));
    }

    [Fact]
    public void The_placement_rule_flags_a_validator_outside_a_module()
    {
        Assert.Contains(typeof(StrayValidator).FullName, Rules.HandlersAndValidators([typeof(StrayValidator)]));
    }

    private sealed class StrayValidator : FluentValidation.AbstractValidator<string>;
}
