using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Monolith.Modules.Identity.Domain;

namespace Monolith.Modules.Identity.Account;

/// <summary>
/// <c>/account/login</c> and <c>/account/logout</c>: the sign-in cookie the authorize endpoint relies on. Every failed
/// sign-in (unknown user, wrong password, locked out, not allowed) answers the same message and status.
/// </summary>
internal static partial class AccountEndpoints
{
    public const string LoginRateLimitPolicy = "identity-login";
    public const string InvalidCredentials = "Invalid email or password.";

    public static void MapAccount(IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();
        account.MapGet("/login", (HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
            Pages.Login(http, antiforgery, LocalOrRoot(returnUrl)));
        account.MapPost("/login", Login).RequireRateLimiting(LoginRateLimitPolicy);
        account.MapGet("/logout", (HttpContext http, IAntiforgery antiforgery) => Pages.Logout(http, antiforgery));
        account.MapPost("/logout", Logout);
    }

    private static async Task<IResult> Login(
        HttpContext http, IAntiforgery antiforgery, SignInManager<User> signIn, UserManager<User> users, ILoggerFactory loggers)
    {
        if (!http.Request.HasFormContentType)
        {
            return Pages.BadRequest("Expected a form.");
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var returnUrl = LocalOrRoot(form["ReturnUrl"].ToString());
        var username = form["username"].ToString().Trim();
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Pages.Login(http, antiforgery, returnUrl, username, "The form expired; please try again.");
        }

        var password = form["password"].ToString();
        var user = username.Length == 0 ? null : await users.FindByNameAsync(username);
        if (user is null)
        {
            // Spend the time a password check takes, so the answer's timing does not tell whether the account exists.
            users.PasswordHasher.VerifyHashedPassword(DummyUser, DummyHash.Value, password);
            return Pages.Login(http, antiforgery, returnUrl, username, InvalidCredentials);
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            if (result.IsLockedOut)
            {
                LogLockedOut(loggers.CreateLogger(typeof(AccountEndpoints)), user.Id);
            }

            return Pages.Login(http, antiforgery, returnUrl, username, InvalidCredentials);
        }

        return Results.LocalRedirect(returnUrl);
    }

    private static async Task<IResult> Logout(HttpContext http, IAntiforgery antiforgery, SignInManager<User> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Pages.BadRequest("The form expired; go back and try again.");
        }

        await signIn.SignOutAsync();
        return Results.LocalRedirect("/");
    }

    /// <summary>Only local paths: an open redirect after sign-in would hand users to any site.</summary>
    internal static string LocalOrRoot(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";

    private static readonly User DummyUser = new() { UserName = "nobody" };

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<User>().HashPassword(DummyUser, Guid.NewGuid().ToString()));

    [LoggerMessage(EventId = 6110, Level = LogLevel.Warning, Message = "User {UserId} is locked out after repeated failed sign-ins")]
    private static partial void LogLockedOut(ILogger logger, string userId);
}
