using System.Globalization;
using FluentValidation;
using MongoDB.Bson;
using Monolith.Modules.Catalog.Domain;

namespace Monolith.Modules.Catalog.Products;

/// <summary>The writable fields of a product: the body of POST and PUT, and what a PATCH is merged into.</summary>
internal sealed record ProductInput(
    string? Sku,
    string? Name,
    string? Description,
    MoneyInput? Price,
    string? CategoryId,
    IReadOnlyList<string>? Tags,
    int? Stock,
    ProductStatus? Status);

internal sealed record MoneyInput(decimal? Amount, string? Currency);

internal sealed class ProductInputValidator : AbstractValidator<ProductInput>
{
    public ProductInputValidator()
    {
        RuleFor(p => p.Sku).NotEmpty().MaximumLength(64).Matches("^[A-Za-z0-9][A-Za-z0-9._-]*$")
            .WithMessage("SKU must be letters, digits, '.', '_' or '-', starting with a letter or digit.");
        RuleFor(p => p.Name).NotEmpty().MaximumLength(200);
        RuleFor(p => p.Description).MaximumLength(4000);
        RuleFor(p => p.Price).NotNull().DependentRules(() =>
        {
            RuleFor(p => p.Price!.Amount).NotNull().GreaterThanOrEqualTo(0).LessThanOrEqualTo(1_000_000_000m)
                .PrecisionScale(14, 4, ignoreTrailingZeros: true).OverridePropertyName("price.amount");
            RuleFor(p => p.Price!.Currency).NotEmpty().Must(Currencies.IsIso4217)
                .WithMessage("Currency must be an ISO 4217 code such as EUR or USD.").OverridePropertyName("price.currency");
        });
        RuleFor(p => p.CategoryId).Must(id => id is null || ObjectId.TryParse(id, out _)).WithMessage("Not a category id.");
        RuleFor(p => p.Tags).Must(t => t is null || t.Count <= 20).WithMessage("At most 20 tags.");
        RuleForEach(p => p.Tags).NotEmpty().MaximumLength(40).Matches("^[A-Za-z0-9][A-Za-z0-9 _-]*$")
            .WithMessage("Tags are letters, digits, spaces, '_' or '-'.");
        RuleFor(p => p.Stock).NotNull().GreaterThanOrEqualTo(0).LessThanOrEqualTo(1_000_000_000);
        RuleFor(p => p.Status).IsInEnum();
    }
}

internal static class Currencies
{
    private static readonly HashSet<string> Known = Load();

    public static bool IsIso4217(string? code) =>
        code is { Length: 3 } && code.All(char.IsAsciiLetterUpper) && (Known.Count == 0 || Known.Contains(code));

    private static HashSet<string> Load()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                codes.Add(new RegionInfo(culture.Name).ISOCurrencySymbol);
            }
            catch (ArgumentException)
            {
                // Cultures without a region carry no currency.
            }
        }

        return codes;
    }
}
