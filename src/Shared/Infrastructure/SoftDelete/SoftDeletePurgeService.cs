using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Monolith.Shared.Infrastructure.SoftDelete;

/// <summary>Runs the purge periodically while the host is up.</summary>
internal sealed partial class SoftDeletePurgeService(
    SoftDeletePurger purger, IOptions<SoftDeleteOptions> options, ILogger<SoftDeletePurgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PurgeEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.PurgeInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await purger.PurgeAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Soft-delete purge failed; it will run again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
