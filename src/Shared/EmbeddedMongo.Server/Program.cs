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
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopped.TrySetResult();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.TrySetResult();

await using (var server = await EmbeddedMongoServer.StartAsync(options, logger))
{
    await stopped.Task;
    logger.LogInformation("Stopping");
}
return 0;
