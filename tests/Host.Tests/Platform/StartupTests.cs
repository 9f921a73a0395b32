using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Monolith.Host.Tests.Platform;

public sealed class StartupTests
{
    [Fact]
    public void Production_refuses_to_start_without_a_connection_string()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Mongo", "");
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("ConnectionStrings__Mongo", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Production_refuses_the_test_authentication_scheme()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Mongo", "mongodb://127.0.0.1:1/?directConnection=true");
            b.UseSetting("Auth:TestScheme:Enabled", "true");
        });
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        Assert.Contains("TestScheme", Flatten(error), StringComparison.Ordinal);
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
