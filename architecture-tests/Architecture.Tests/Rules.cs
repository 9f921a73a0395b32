using System.Reflection;
using FluentValidation;
using NetArchTest.Rules;

namespace Monolith.ArchitectureTests;

/// <summary>The rules, as functions over a set of types, so they can also be run on a deliberately bad set.</summary>
public static class Rules
{
    /// <summary>Types that depend on any of the forbidden namespaces or types (prefix match on full names).</summary>
    public static IReadOnlyList<string> DependingOn(PredicateList types, IEnumerable<string> forbidden)
    {
        var names = forbidden.ToArray();
        if (names.Length == 0)
        {
            return [];
        }

        var result = types.ShouldNot().HaveDependencyOnAny(names).GetResult();
        return result.IsSuccessful ? [] : result.FailingTypeNames.ToList();
    }

    /// <summary>Contracts may use the BCL and the shared abstractions, nothing else of ours or of any framework.</summary>
    public static IReadOnlyList<string> ContractViolations(PredicateList contractTypes) =>
        DependingOn(contractTypes,
        [
            "Monolith.Shared.Infrastructure", "Monolith.Host", "Monolith.EmbeddedMongo", "MongoDB", "Microsoft.AspNetCore",
            "Mediator", "FluentValidation", "ZiggyCreatures", "Serilog",
            .. ModuleList.All.SelectMany(ImplementationTypeNames),
        ]);

    /// <summary>Public types that are neither the entry point nor something Mediator's generator must see.</summary>
    public static IReadOnlyList<string> PublicImplementationTypes(IEnumerable<Type> types, Type? entryPoint) =>
        types.Where(t => t.IsPublic || t.IsNestedPublic)
            .Where(t => t != entryPoint && !IsMediatorType(t))
            .Select(t => t.FullName!)
            .ToList();

    /// <summary>Handlers and validators found in assemblies that are not modules.</summary>
    public static IReadOnlyList<string> HandlersAndValidators(IEnumerable<Type> types) =>
        types.Where(t => !t.IsAbstract && (IsValidator(t) || IsMediatorHandler(t)))
            .Select(t => t.FullName!)
            .ToList();

    /// <summary>
    /// Every top-level type of a module's implementation, by full name. (Namespaces would not do: NetArchTest matches
    /// by prefix, and the implementation's root namespace is a prefix of its contracts' namespace.)
    /// </summary>
    public static IEnumerable<string> ImplementationTypeNames(ModuleUnderTest module) =>
        module.Implementation.GetTypes()
            .Where(t => !t.IsNested && t.Namespace?.StartsWith(module.Namespace, StringComparison.Ordinal) == true)
            .Select(t => t.FullName!);

    /// <summary>Every top-level type of the module's implementation except its entry point, as forbidden names.</summary>
    public static IEnumerable<string> ImplementationTypesExceptEntryPoint(ModuleUnderTest module) =>
        module.Implementation.GetTypes()
            .Where(t => !t.IsNested && t != module.EntryPoint && t.Namespace?.StartsWith(module.Namespace, StringComparison.Ordinal) == true)
            .Select(t => t.FullName!);

    public static IEnumerable<string> ReferencedAssemblyNames(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!);

    private static bool IsValidator(Type t) => typeof(IValidator).IsAssignableFrom(t);

    private static bool IsMediatorHandler(Type t) =>
        t.GetInterfaces().Any(i => i.Namespace == "Mediator" && i.Name.Contains("Handler", StringComparison.Ordinal));

    private static bool IsMediatorType(Type t) =>
        IsMediatorHandler(t) || t.GetInterfaces().Any(i => i.Namespace == "Mediator" && i.Name is "IMessage" or "IBaseRequest" or "IBaseCommand" or "IBaseQuery");
}
