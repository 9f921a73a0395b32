using FluentValidation.Results;
using System.Text.Json;

namespace Monolith.Shared.Infrastructure.Errors;

internal static class ValidationErrors
{
    public static IReadOnlyDictionary<string, string[]> From(IEnumerable<ValidationFailure> failures) =>
        failures
            .GroupBy(f => ToJsonPath(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());

    // "Price.Amount" -> "price.amount", "Tags[0]" -> "tags[0]": the names clients sent, not the CLR names.
    private static string ToJsonPath(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(p => JsonNamingPolicy.CamelCase.ConvertName(p)));
}
