using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace Monolith.Shared.Infrastructure.Mongo;

public static class MongoServiceCollectionExtensions
{
    /// <summary>One MongoClient for the process, configured from ConnectionStrings:Mongo and the Mongo section.</summary>
    public static IServiceCollection AddMongo(this IServiceCollection services, IConfiguration configuration)
    {
        BsonConventions.Register();
        services.Configure<MongoOptions>(configuration.GetSection(MongoOptions.Section));
        services.AddSingleton<IMongoClient>(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString("Mongo")
                ?? throw new InvalidOperationException("ConnectionStrings:Mongo is not configured.");
            var options = sp.GetRequiredService<IOptions<MongoOptions>>().Value;
            var settings = MongoClientSettings.FromConnectionString(connectionString);
            settings.MaxConnectionPoolSize = options.MaxPoolSize;
            settings.MinConnectionPoolSize = options.MinPoolSize;
            settings.ConnectTimeout = options.ConnectTimeout;
            settings.ServerSelectionTimeout = options.ServerSelectionTimeout;
            settings.SocketTimeout = options.SocketTimeout;
            settings.ApplicationName = "monolith";
            return new MongoClient(settings);
        });
        services.AddSingleton(sp => sp.GetRequiredService<IMongoClient>()
            .GetDatabase(sp.GetRequiredService<IOptions<MongoOptions>>().Value.Database));
        return services;
    }

    /// <summary>Registers the module's database handle under the module's name (resolve with [FromKeyedServices]).</summary>
    public static IServiceCollection AddModuleDatabase(this IServiceCollection services, string module) =>
        services.AddKeyedSingleton(module, (sp, _) => new ModuleDatabase(module, sp.GetRequiredService<IMongoDatabase>()));
}
