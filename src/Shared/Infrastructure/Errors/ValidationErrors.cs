using FluentValidation.Results;
using System.Text.Json;

namespace Monolith.Shared.Infrastructure.Errors;

internal static class ValidationErrors
{
    public static IReadOnlyDictionary<string, string[]> From(IEnumerable<ValidationFailure> failures) =>
        failures
            .GroupBy(f => ToJsonPath(f.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray());

    // "Body.Price.Amount" -> "price.amount", "Body.Tags[0]" -> "tags[0]": the names clients sent, not the CLR names.
    // By convention a message's request body travels in a property named Body, whose name the client never sees.
    private static string ToJsonPath(string propertyName)
    {
        var path = propertyName.StartsWith("Body.", StringComparison.Ordinal) ? propertyName["Body.".Length..] : propertyName;
        return string.Join('.', path.Split('.').Select(p => JsonNamingPolicy.CamelCase.ConvertName(p)));
    }
}
