using Mediator;
using Monolith.Host;
using Monolith.Host.Cli;
using Monolith.Shared.Infrastructure;
using Monolith.Shared.Infrastructure.Validation;

var command = HostCommand.Parse(args, out var hostArgs);
var builder = WebApplication.CreateBuilder(hostArgs);

await EmbeddedDatabase.StartIfNeededAsync(builder);
builder.AddPlatform(Modules.All);
builder.Services.AddMediator((MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(ValidationBehavior<,>)];
});

var app = builder.Build();
app.UsePlatform(Modules.All);
app.MapGet("/ping", () => TypedResults.Ok(new Pong("pong")))
    .WithName("Ping").WithSummary("A constant answer (the benchmarks' baseline)").WithTags("Platform");

if (command is not null)
{
    EmbeddedDatabase.Own(app.Services);
    var exitCode = await command.RunAsync(app.Services, Console.Out, CancellationToken.None);
    await app.DisposeAsync();
    return exitCode;
}

await app.RunAsync();
return 0;

internal sealed record Pong(string Message);

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
