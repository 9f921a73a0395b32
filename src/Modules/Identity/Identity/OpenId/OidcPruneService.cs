using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Monolith.Modules.Identity.OpenId;

/// <summary>
/// Deletes expired and invalid tokens and authorizations every <c>Identity:Prune:Interval</c> (a PeriodicTimer until the
/// host has a job scheduler). Each prune call deletes in bounded batches.
/// </summary>
internal sealed partial class OidcPruneService(
    IServiceScopeFactory scopes, IOptions<OidcOptions> options, TimeProvider clock, ILogger<OidcPruneService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var prune = options.Value.Prune;
        if (!prune.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(prune.Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PruneOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    public async Task<(long Tokens, long Authorizations)> PruneOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var threshold = clock.GetUtcNow() - options.Value.Prune.MinimumAge;
        var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, cancellationToken);
        var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, cancellationToken);
        LogPruned(logger, tokens, authorizations);
        return (tokens, authorizations);
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Pruned {PrunedEntries} expired or invalid token entries and {PrunedAuthorizations} authorizations")]
    private static partial void LogPruned(ILogger logger, long prunedEntries, long prunedAuthorizations);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Pruning tokens and authorizations failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
