using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.HttpOverrides;

namespace Portal.Web.Components;

/// <summary>
/// The browser-side hardening of every response. Scripts only from the portal itself, plus the two inline ones of
/// App.razor (the import map and Blazor's start), which carry this response's nonce; MudBlazor sets style attributes
/// on its components, so inline styles stay allowed. Framing stays refused to other sites.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceItem = "portal:csp-nonce";

    /// <summary>This response's script nonce, for App.razor's inline scripts.</summary>
    public static string Nonce(HttpContext http) => (string)http.Items[NonceItem]!;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        http.Items[NonceItem] = nonce;
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            // Set, not appended: Blazor's own frame-ancestors 'self' is part of this policy.
            headers.ContentSecurityPolicy =
                $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        await next();
    });

    /// <summary>
    /// Behind a TLS-terminating proxy the request reaches the portal as HTTP; the proxy's X-Forwarded-Proto (and
    /// -For) are believed only from the proxies named in configuration (loopback when none are), so the auth
    /// cookie is Secure exactly when the browser's request was HTTPS.
    /// </summary>
    public static void AddForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var proxies = configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        var networks = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (proxies.Length + networks.Length > 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var proxy in proxies)
                {
                    o.KnownProxies.Add(IPAddress.Parse(proxy));
                }
                foreach (var network in networks)
                {
                    o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }
            }
        });
    }
}
