using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monolith.Shared.Infrastructure.Web;

/// <summary>The API's JSON rules: camelCase, enums as strings, strings trimmed, unknown properties rejected.</summary>
public static class JsonDefaults
{
    public static void Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new TrimmingStringConverter());
    }
}
