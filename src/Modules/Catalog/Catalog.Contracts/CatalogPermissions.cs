namespace Monolith.Modules.Catalog.Contracts;

/// <summary>Permissions the catalog's endpoints require; the identity module grants them.</summary>
public static class CatalogPermissions
{
    /// <summary>See drafts and archived products (active products are public).</summary>
    public const string Read = "catalog.read";

    /// <summary>Create, change, delete and restore products and categories.</summary>
    public const string Write = "catalog.write";

    public static readonly string[] All = [Read, Write];
}
