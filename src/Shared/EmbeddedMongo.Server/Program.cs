using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Monolith.EmbeddedMongo;
using Monolith.EmbeddedMongo.Server;

if (!CommandLine.TryParse(args, out var options, out var error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}
if (options is null)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
var logger = loggerFactory.CreateLogger("EmbeddedMongo");
var stopped = new TaskCompletionSource();
void Stop(PosixSignalContext context)
{
    // Stop cleanly (in-memory data is saved to --dbpath) instead of letting the runtime exit at once.
    context.Cancel = true;
    stopped.TrySetResult();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

await using (var server = await EmbeddedMongoServer.StartAsync(options, logger))
{
    await stopped.Task;
    logger.LogInformation("Stopping");
}
return 0;
