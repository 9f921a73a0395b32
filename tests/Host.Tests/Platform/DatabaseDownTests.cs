using System.Net;
using Monolith.Host.Tests.Support;

namespace Monolith.Host.Tests.Platform;

/// <summary>A host whose database does not answer: unhandled failures become a bare 500, readiness goes red.</summary>
public sealed class UnreachableDatabaseApp : CatalogApp
{
    public const string Password = "S3cretPassw0rdNeverLogged";

    protected override bool UsesDatabase => false;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Mongo"] = $"mongodb://admin:{Password}@127.0.0.1:1/?directConnection=true",
        ["Mongo:ServerSelectionTimeout"] = "00:00:00.500",
        ["Mongo:ConnectTimeout"] = "00:00:00.500",
    };
}

public sealed class DatabaseDownTests(UnreachableDatabaseApp app) : IClassFixture<UnreachableDatabaseApp>
{
    [Fact]
    public async Task An_unhandled_failure_returns_500_without_internals_and_is_logged_once_with_the_stack()
    {
        var response = await app.Anonymous().GetAsync("/api/v1/catalog/products?tag=db-down", TestContext.Current.CancellationToken);
        var problem = await response.ProblemAsync(HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        var text = problem.ToJsonString();
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);

        var requestId = (string)problem["requestId"]!;
        var withStack = app.Logs.Events.Where(e => e.Exception is not null &&
            e.Properties.TryGetValue("RequestId", out var id) && id.ToString().Trim('"') == requestId).ToList();
        Assert.Single(withStack);
        Assert.DoesNotContain(UnreachableDatabaseApp.Password, app.Logs.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_fails_when_the_database_does_not_answer_while_liveness_stays_green()
    {
        var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode);
    }
}
