using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Modules.Identity.Account;
using Monolith.Modules.Identity.Clients;
using Monolith.Modules.Identity.Contracts;
using Monolith.Modules.Identity.Domain;
using Monolith.Modules.Identity.Migrations;
using Monolith.Modules.Identity.OpenId;
using Monolith.Modules.Identity.Seeding;
using Monolith.Modules.Identity.Users;
using Monolith.Shared.Infrastructure.Migrations;
using Monolith.Shared.Infrastructure.Modules;
using Monolith.Shared.Infrastructure.Mongo;
using Monolith.Shared.Infrastructure.OpenApi;
using Monolith.Shared.Infrastructure.RateLimiting;
using Monolith.Shared.Infrastructure.Security;
using Monolith.Shared.Infrastructure.SoftDelete;

namespace Monolith.Modules.Identity;

/// <summary>The identity module's two entry points; everything else in this assembly is internal.</summary>
public static class IdentityModule
{
    public const string Name = "identity";

    public static void AddIdentityModule(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDatabase(Name);
        services.AddSingleton<IdentityDb>();
        services.AddScoped<IIdentityModuleApi, IdentityModuleApi>();
        services.AddPermissionPolicies(IdentityPermissions.All);

        services.AddScoped<MongoUserStore>();
        services.AddScoped<UserPermissions>();
        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                configuration.GetSection("Identity:Password").Bind(o.Password);
                configuration.GetSection("Identity:Lockout").Bind(o.Lockout);
            })
            .AddRoles<Role>()
            .AddUserStore<MongoUserStore>()
            .AddRoleStore<MongoRoleStore>();

        services.AddSingleton<IMigration, M001_UserAndRoleIndexes>();
        services.AddSingleton(new SoftDeleteCollection(Name, IdentityDb.UsersCollection));
        services.Configure<IdentitySeedOptions>(configuration.GetSection(IdentitySeedOptions.Section));
        services.AddScoped<IModuleSeeder, UserSeeder>();
        services.AddHostedService<SeedOnStartup>();
        services.AddOidcStores(configuration).AddOidcServer(services, configuration);
        services.AddScoped<IModuleSeeder, ClientSeeder>();
        services.AddRateLimitPolicy(AccountEndpoints.LoginRateLimitPolicy, permitLimit: 10, window: TimeSpan.FromMinutes(1));
        services.AddSingleton(new RootEndpoints(Name, root =>
        {
            ConnectEndpoints.MapConnect(root);
            AccountEndpoints.MapAccount(root);
        }));
        services.AddSingleton(new OpenApiTagInfo("Identity", "Users, roles, OAuth clients and API keys; needs identity.admin."));
        services.AddAccounts(configuration);
    }

    public static void MapIdentityEndpoints(this IEndpointRouteBuilder api)
    {
        var identity = api.MapGroup("/identity").WithTags("Identity").WithMetadata(new ModuleMetadata(Name));
        identity.MapAccounts();
        identity.MapGroup("/clients").MapClients();
    }
}
