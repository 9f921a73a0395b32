using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Monolith.Modules.Identity.ApiKeys;

/// <summary>Documents <c>X-Api-Key</c> as a security scheme and as an alternative to the bearer token wherever one is required.</summary>
internal static class ApiKeyOpenApi
{
    public const string SchemeId = "apiKey";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                In = ParameterLocation.Header,
                Description = "An API key (mk_<prefix>_<secret>) created by an administrator; grants its scopes. Not combined with Authorization.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            if (operation.Security is { Count: > 0 } security)
            {
                security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, context.Document)] = [] });
            }

            return Task.CompletedTask;
        });
    }
}
