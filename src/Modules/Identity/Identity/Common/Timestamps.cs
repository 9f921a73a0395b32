namespace Monolith.Modules.Identity.Common;

/// <summary>
/// BSON dates keep milliseconds; responses built from a just-written document use the same precision, so a create's
/// answer and a later read agree.
/// </summary>
internal static class Timestamps
{
    public static DateTimeOffset Stored(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    public static DateTimeOffset? Stored(DateTimeOffset? value) => value is { } v ? Stored(v) : null;
}
