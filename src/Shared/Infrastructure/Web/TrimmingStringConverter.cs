using System.Text.Json;
using System.Text.Json.Serialization;

namespace Monolith.Shared.Infrastructure.Web;

/// <summary>Trims every string read from a request body; lengths are limited by each request's validator.</summary>
internal sealed class TrimmingStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString()?.Trim();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
