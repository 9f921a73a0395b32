using System.Net;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Monolith.Modules.Identity.Account;

/// <summary>The few server-rendered pages the sign-in needs: login, consent, logout. Plain HTML, no scripts.</summary>
internal static class Pages
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    public static IResult Login(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? username = null, string? error = null) =>
        Html(error is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, "Sign in", $"""
            <h1>Sign in</h1>
            {(error is null ? "" : $"<p role=\"alert\" class=\"error\">{E(error)}</p>")}
            <form method="post" action="/account/login">
              {Token(http, antiforgery)}
              <input type="hidden" name="ReturnUrl" value="{E(returnUrl)}">
              <label>Email <input type="email" name="username" autocomplete="username" required value="{E(username ?? "")}"></label>
              <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
              <button type="submit">Sign in</button>
            </form>
            """);

    public static IResult Consent(HttpContext http, IAntiforgery antiforgery, string client, IEnumerable<string> scopes,
        IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var hidden = new StringBuilder();
        foreach (var (name, values) in parameters.Where(p => p.Key is not (AntiforgeryField or "decision")))
        {
            foreach (var value in values)
            {
                hidden.Append($"<input type=\"hidden\" name=\"{E(name)}\" value=\"{E(value ?? "")}\">");
            }
        }

        var items = string.Concat(scopes.Select(s => $"<li>{E(s)}</li>"));
        return Html(StatusCodes.Status200OK, "Authorize " + client, $"""
            <h1>Allow {E(client)} to act for you?</h1>
            <p>It asks for:</p>
            <ul>{items}</ul>
            <form method="post" action="/connect/authorize">
              {Token(http, antiforgery)}
              {hidden}
              <button type="submit" name="decision" value="accept">Allow</button>
              <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """);
    }

    public static IResult Logout(HttpContext http, IAntiforgery antiforgery) =>
        Html(StatusCodes.Status200OK, "Sign out", $"""
            <h1>Sign out?</h1>
            <form method="post" action="/account/logout">
              {Token(http, antiforgery)}
              <button type="submit">Sign out</button>
            </form>
            """);

    public static IResult Message(int status, string title, string message) =>
        Html(status, title, $"<h1>{E(title)}</h1><p>{E(message)}</p>");

    public static IResult BadRequest(string message) => Message(StatusCodes.Status400BadRequest, "Bad request", message);

    private static string Token(HttpContext http, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"<input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken ?? "")}\">";
    }

    private static IResult Html(int status, string title, string body)
    {
        var page = $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>{E(title)} · Monolith</title></head>
            <body>{body}</body></html>
            """;
        return Results.Content(page, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
