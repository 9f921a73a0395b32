using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;

namespace Monolith.Shared.Infrastructure.Logging;

/// <summary>
/// Replaces the value of any log property whose name looks secret (password, token, secret, api key, authorization,
/// cookie, code verifier), at any depth of a structured value, before any sink sees the event. String values that
/// carry OAuth/OpenID Connect parameters — a form or query string (<c>code=...&amp;code_verifier=...</c>) or a JSON
/// dump of a request (<c>"client_secret": "..."</c>), as OpenIddict logs them — get those parameters' values masked.
/// </summary>
public sealed partial class RedactionEnricher : ILogEventEnricher
{
    public const string Mask = "***";
    private static readonly string[] Sensitive = ["password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "authorization", "cookie", "credential", "connectionstring", "verifier", "assertion"];
    private static readonly ScalarValue Masked = new(Mask);

    public static bool IsSensitive(string name) =>
        Sensitive.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Masks the values of secret-bearing parameters inside a string (form, query string or JSON text).</summary>
    public static string RedactParameters(string text) =>
        text.Length < 6 || (text.IndexOf('=') < 0 && text.IndexOf(':') < 0)
            ? text
            : SecretParameter().Replace(text, m => m.Groups["value"].Value == "[redacted]" ? m.Value : m.Groups["name"].Value + Mask);

    // A parameter name (whole word, optionally quoted, JSON-escaped quotes included) then = or :, then its value.
    [GeneratedRegex("""(?<name>(?<![A-Za-z0-9_])(?:\\?["'])?(?:code|code_verifier|client_secret|client_assertion|password|refresh_token|access_token|id_token|id_token_hint|token|subject_token|actor_token|assertion|device_code|user_code|__RequestVerificationToken)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?)(?<value>[^"'&\s,}\\]+)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretParameter();

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? replacements = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var redacted = IsSensitive(name) ? Masked : Redact(value);
            if (!ReferenceEquals(redacted, value))
            {
                (replacements ??= []).Add(new LogEventProperty(name, redacted));
            }
        }

        foreach (var property in replacements ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    private static LogEventPropertyValue Redact(LogEventPropertyValue value)
    {
        switch (value)
        {
            case StructureValue structure:
                var changed = false;
                var properties = structure.Properties.Select(p =>
                {
                    var inner = IsSensitive(p.Name) ? Masked : Redact(p.Value);
                    changed |= !ReferenceEquals(inner, p.Value);
                    return new LogEventProperty(p.Name, inner);
                }).ToList();
                return changed ? new StructureValue(properties, structure.TypeTag) : value;
            case DictionaryValue dictionary:
                var dictChanged = false;
                var elements = dictionary.Elements.Select(e =>
                {
                    var inner = e.Key.Value is string k && IsSensitive(k) ? Masked : Redact(e.Value);
                    dictChanged |= !ReferenceEquals(inner, e.Value);
                    return new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, inner);
                }).ToList();
                return dictChanged ? new DictionaryValue(elements) : value;
            case SequenceValue sequence:
                var seqChanged = false;
                var items = sequence.Elements.Select(e =>
                {
                    var inner = Redact(e);
                    seqChanged |= !ReferenceEquals(inner, e);
                    return inner;
                }).ToList();
                return seqChanged ? new SequenceValue(items) : value;
            case ScalarValue { Value: string text }:
                var redacted = RedactParameters(text);
                return ReferenceEquals(redacted, text) || redacted == text ? value : new ScalarValue(redacted);
            default:
                return value;
        }
    }
}
