using Serilog.Core;
using Serilog.Events;

namespace Monolith.Shared.Infrastructure.Logging;

/// <summary>
/// Replaces the value of any log property whose name looks secret (password, token, secret, api key, authorization,
/// cookie), at any depth of a structured value, before any sink sees the event.
/// </summary>
public sealed class RedactionEnricher : ILogEventEnricher
{
    public const string Mask = "***";
    private static readonly string[] Sensitive = ["password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "authorization", "cookie", "credential", "connectionstring"];
    private static readonly ScalarValue Masked = new(Mask);

    public static bool IsSensitive(string name) =>
        Sensitive.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase));

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
            default:
                return value;
        }
    }
}
