using Microsoft.Extensions.Options;
using Monolith.Shared.Infrastructure.Security;

namespace Monolith.Modules.Identity.OpenId;

/// <summary>
/// The API scopes clients may request: every permission the host's modules registered, plus
/// <c>Identity:ExtraApiScopes</c>. An access token's <c>permission</c> claims are always a subset of these.
/// </summary>
internal sealed class ApiScopes(IServiceProvider services, IOptions<OidcOptions> options)
{
    private readonly Lazy<IReadOnlyList<string>> all = new(() =>
        Permissions.All(services).Concat(options.Value.ExtraApiScopes).Distinct(StringComparer.Ordinal).ToList());

    public IReadOnlyList<string> All => all.Value;

    public bool Contains(string scope) => All.Contains(scope, StringComparer.Ordinal);
}
