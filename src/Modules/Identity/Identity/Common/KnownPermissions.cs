using Microsoft.Extensions.DependencyInjection;
using Monolith.Shared.Infrastructure.Security;

namespace Monolith.Modules.Identity.Common;

/// <summary>Every permission the host's modules declare: what roles may grant and API keys may be scoped to.</summary>
internal sealed class KnownPermissions(IServiceProvider services)
{
    private readonly Lazy<HashSet<string>> all = new(() => new HashSet<string>(Permissions.All(services), StringComparer.Ordinal));

    public IReadOnlySet<string> All => all.Value;

    public bool Contains(string permission) => all.Value.Contains(permission);

    public string Unknown(IEnumerable<string> permissions) =>
        $"Unknown permission(s): {string.Join(", ", permissions.Where(p => !Contains(p)))}. Known: {string.Join(", ", all.Value.Order(StringComparer.Ordinal))}.";
}
