using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Monolith.Shared.Infrastructure.OpenApi;

/// <summary>
/// Completes the generated document: info, server, the bearer scheme, tag descriptions, the shared Problem schema and
/// the error responses every operation can give.
/// </summary>
internal static class OpenApiTransformers
{
    public const string ProblemSchema = "Problem";
    public const string BearerScheme = "bearer";
    private const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, context, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Monolith API",
                Version = "v1",
                Description = "The modular monolith's HTTP API. Errors are application/problem+json with code, message and requestId.",
                License = new OpenApiLicense { Name = "MIT", Url = new Uri("https://opensource.org/licenses/MIT") },
            };
            document.Servers = [new OpenApiServer { Url = "/", Description = "The host serving this document" }];
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = Problem();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "Bearer token; in Development and tests the 'Test <user> <permission>...' scheme stands in.",
            };
            var tags = context.ApplicationServices.GetServices<OpenApiTagInfo>()
                .Append(new OpenApiTagInfo("Platform", "Health, diagnostics and other endpoints every deployment has."));
            document.Tags = new HashSet<OpenApiTag>(tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
            var document = context.Document!;
            operation.Security = secured
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }]
                : [];
            AddHeaderParameters(operation, metadata);
            operation.Responses ??= new OpenApiResponses();
            var method = context.Description.HttpMethod ?? "GET";
            var errors = new List<(string Status, string Description)>
            {
                ("400", "The request is invalid (validation, malformed JSON, unknown properties)."),
                ("429", "Too many requests (see Retry-After and RateLimit headers)."),
                ("500", "Unexpected error; the body carries the requestId to quote."),
            };
            if (secured)
            {
                errors.Add(("401", "Not authenticated."));
                errors.Add(("403", "Missing the required permission."));
            }

            if (method is "POST" or "PUT" or "PATCH")
            {
                errors.Add(("413", "The request body is too large."));
            }

            foreach (var (status, description) in errors)
            {
                AddProblem(operation, document, status, description);
            }

            // Statuses the endpoint already declares (404, 409, 412, 422, 428, ...) get the problem body too.
            foreach (var (status, response) in operation.Responses.ToList())
            {
                if (status.Length == 3 && status[0] is '4' or '5' && response is OpenApiResponse { Content: null or { Count: 0 } } bare)
                {
                    bare.Content = ProblemContent(document);
                    if (string.IsNullOrEmpty(bare.Description) || bare.Description == "Bad Request")
                    {
                        bare.Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }

            return Task.CompletedTask;
        });
    }

    private static void AddHeaderParameters(OpenApiOperation operation, IList<object> metadata)
    {
        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            // Nullable strings come out with an empty schema; say what they are.
            if (parameter.Schema is OpenApiSchema { Type: null, OneOf: null or { Count: 0 }, AnyOf: null or { Count: 0 } } schema)
            {
                schema.Type = JsonSchemaType.String;
            }
        }

        static OpenApiParameter Header(string name, bool required, string description) => new()
        {
            Name = name,
            In = ParameterLocation.Header,
            Required = required,
            Description = description,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        };

        if (metadata.OfType<Web.IfMatchRequiredMetadata>().Any())
        {
            operation.Parameters.Add(Header("If-Match", true, "The resource's current ETag (or *). Missing: 428; stale: 412."));
        }

        if (metadata.OfType<Web.IfNoneMatchSupportedMetadata>().Any())
        {
            operation.Parameters.Add(Header("If-None-Match", false, "An ETag the caller holds; 304 when it is still current."));
        }

        if (metadata.OfType<Idempotency.IdempotencyMetadata>().Any())
        {
            operation.Parameters.Add(Header("Idempotency-Key", false,
                "Makes the POST safe to retry for 24 h: same key and body replay the first response (Idempotent-Replayed: true); another body: 422; still in flight: 409."));
        }
    }

    private static void AddProblem(OpenApiOperation operation, OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse { Description = description, Content = ProblemContent(document) };
    }

    private static Dictionary<string, OpenApiMediaType> ProblemContent(OpenApiDocument document) =>
        new() { [ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, document) } };

    private static OpenApiSchema Problem()
    {
        static OpenApiSchema Str(string description) => new() { Type = JsonSchemaType.String, Description = description };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details with the project's extra fields.",
            Required = new HashSet<string> { "type", "title", "status", "detail", "instance", "error", "code", "message", "requestId" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Str("A URI identifying the problem type."),
                ["title"] = Str("Short summary of the problem type."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "HTTP status code." },
                ["detail"] = Str("Explanation specific to this occurrence."),
                ["instance"] = Str("The request path."),
                ["error"] = Str("Short machine name (lower-case code)."),
                ["code"] = Str("Stable upper-snake code, e.g. VALIDATION_FAILED, NOT_FOUND, RATE_LIMITED, CONFLICT."),
                ["message"] = Str("Human-readable sentence."),
                ["requestId"] = Str("The request's X-Request-Id."),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "Field -> messages, for validation failures.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }
}
