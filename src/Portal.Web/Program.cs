using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;
using Portal.Web;
using Portal.Web.Account;
using Portal.Web.Components;
using Portal.Web.Data;
using Portal.Web.Features.OfficeToggles;
using Portal.Web.Features.Pins;
using Portal.Web.Features.Replication;
using Portal.Web.Features.Voicemail;
using Portal.Web.Setup;

var builder = WebApplication.CreateBuilder(args);
// scripts/run serves the build output, not a published folder: static web assets (MudBlazor's, the linked
// top-level wwwroot/) come from the build's manifest in every environment, not only in Development.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<MasterProbeOptions>().BindConfiguration(MasterProbeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<ReplicationOptions>().BindConfiguration(ReplicationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<Portal.Web.Features.SipPeers.SipDigestOptions>().BindConfiguration(Portal.Web.Features.SipPeers.SipDigestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddOptions<VoicemailOptions>().BindConfiguration(VoicemailOptions.Section)
    .Validate(o => o.Zones.All(z => z.Trim().Length > 0), "Voicemail:TimeZones: a zone name is empty").ValidateOnStart();
builder.Services.AddOptions<OfficeToggleOptions>().BindConfiguration(OfficeToggleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
var serverVersion = ServerVersion.Parse(database.ServerVersion);

// Reads of the Asterisk tables: a pooled factory on the master's connection string and nothing else.
// Writes never use it: they go through MasterWriter, which owns its connection to read the commit's GTID.
builder.Services.AddPooledDbContextFactory<AsteriskDb>(o => o.UseMySql(database.AsteriskConnectionString, serverVersion));
// The portal's own data: a factory for components, and (registered by it) a scoped context for Identity's stores.
builder.Services.AddDbContextFactory<PortalDb>(o => o.UseMySql(database.PortalConnectionString, serverVersion).AddInterceptors(new StrictSession()));
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(_ => RealtimeSchema.FromMigration());
builder.Services.AddSingleton<SchemaCheck>();
builder.Services.AddSingleton<Migrator>();
builder.Services.AddSingleton<MasterState>();
builder.Services.AddSingleton<MasterWriter>();
// Tenant checks read through ReadSource, so they (and the lists they guard) keep working while the master is down.
builder.Services.AddSingleton(sp => new TenantDirectory(sp.GetRequiredService<ReadSource>().Portal));
builder.Services.AddSingleton<Portal.Web.Features.Tenants.TenantCommands>();
builder.Services.AddSingleton<Portal.Web.Features.Dialplan.StepFormValidator>();
builder.Services.AddSingleton<Portal.Web.Features.Dialplan.NewContextFormValidator>();
builder.Services.AddSingleton<Portal.Web.Features.Dialplan.ContextNameFormValidator>();
builder.Services.AddSingleton<Portal.Web.Features.Dialplan.ContextCounts>();
builder.Services.AddSingleton<Portal.Web.Features.Dialplan.DialplanQueries>();
builder.Services.AddSingleton<Portal.Web.Features.Dialplan.DialplanCommands>();
builder.Services.AddHostedService<MasterProbe>();
builder.Services.AddReplication();
builder.Services.AddSingleton<Portal.Web.Features.SipPeers.SipPeerFormValidator>();
builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<Portal.Web.Features.SipPeers.SipPeerList>(sp, sp.GetRequiredService<ReadSource>().Asterisk));
builder.Services.AddSingleton<Portal.Web.Features.SipPeers.SipPeerCommands>();
builder.Services.AddSingleton<Portal.Web.Features.SipPeers.SipPeerImport>();
// Their reads (lists, edit pages) go through ReadSource too; their writes through MasterWriter, whatever the factory.
builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<PinCommands>(sp, sp.GetRequiredService<ReadSource>().Asterisk, sp.GetRequiredService<ReadSource>().Portal));
builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<VoicemailCommands>(sp, sp.GetRequiredService<ReadSource>().Asterisk, sp.GetRequiredService<ReadSource>().Portal));
builder.Services.AddSingleton<OfficeToggleCommands>();
builder.Services.AddSingleton<OfficeToggleWatch>();
builder.Services.AddSingleton<FlipFanOut>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<OfficeToggleWatch>());
builder.Services.AddScoped<DemoSeed>();
builder.Services.AddOptions<Portal.Web.Features.Nodes.NodesOptions>().BindConfiguration(Portal.Web.Features.Nodes.NodesOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<Portal.Web.Features.Nodes.NodeCommands>();
builder.Services.AddSingleton<Portal.Web.Features.Nodes.NodeChecks>();
builder.Services.AddNodeLinks();
builder.Services.AddSingleton(sp => new Portal.Web.Features.Nodes.ClusterAsterisk(sp.GetRequiredService<ReadSource>().Portal, sp.GetRequiredService<Portal.Web.Features.Nodes.NodeLinks>()));

builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddSingleton<CircuitCounter>();
builder.Services.AddSingleton<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(sp => sp.GetRequiredService<CircuitCounter>());
builder.Services.AddMudServices();
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddScoped<IdentityRedirectManager>();
builder.Services.AddSingleton<UserSessions>();
builder.Services.AddSingleton<SignInGuard>();
builder.Services.AddScoped<AuthenticationStateProvider, SessionAuthenticationStateProvider>();
builder.Services.AddAuthentication(o =>
    {
        o.DefaultScheme = IdentityConstants.ApplicationScheme;
        o.DefaultSignInScheme = IdentityConstants.ExternalScheme;
    })
    .AddIdentityCookies();
builder.Services.ConfigureApplicationCookie(o =>
{
    o.LoginPath = "/Account/Login";
    o.AccessDeniedPath = "/Account/AccessDenied";
    o.Cookie.Name = "portal.auth";
    o.ExpireTimeSpan = TimeSpan.FromHours(8);
    o.SlidingExpiration = true;
    // Server-side sessions instead of Identity's security-stamp check every 30 minutes: every request checks the
    // cookie's session (see UserSessions), so taking access away or signing out ends a cookie within seconds.
    o.Events.OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<UserSessions>().ValidatePrincipalAsync(context);
    o.Events.OnSigningIn = async context =>
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<UserSessions>();
        // A sign-in in a browser that was signed in replaces its session.
        await sessions.EndAsync(context.HttpContext.User, replaced: true, context.HttpContext.RequestAborted);
        await sessions.StartAsync(context.Principal!, context.HttpContext.RequestAborted);
    };
    o.Events.OnSigningOut = context =>
        context.HttpContext.RequestServices.GetRequiredService<UserSessions>().EndAsync(context.HttpContext.User, replaced: false, context.HttpContext.RequestAborted);
});
builder.Services.AddIdentityCore<PortalUser>(o =>
    {
        o.User.RequireUniqueEmail = true;
        o.Password.RequiredLength = 12;
        o.Password.RequireNonAlphanumeric = false;
        o.Password.RequiredUniqueChars = 4;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.SignIn.RequireConfirmedAccount = false;
    })
    .AddRoles<IdentityRole>()
    .AddEntityFrameworkStores<PortalDb>()
    .AddPasswordValidator<CommonPasswords>()
    .AddSignInManager()
    .AddDefaultTokenProviders()
    .AddTokenProvider<OneUseAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider)
    .AddClaimsPrincipalFactory<PortalClaimsFactory>();

// Keys in the portal database: several portal instances behind a load balancer share sign-ins.
builder.Services.AddDataProtection().PersistKeysToDbContext<PortalDb>().SetApplicationName("asterisk-realtime-portal");
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(Policies.Operator, p => p.RequireRole(Caller.OperatorRole))
    .AddPolicy(Policies.TenantData, p => p.RequireRole(Caller.OperatorRole, Caller.TenantAdminRole));

builder.Services.AddForwardedHeaders(builder.Configuration);

var app = builder.Build();

// Bad settings stop the portal here, before a migration, a command or a background loop runs, naming the keys to fix.
if (Settings.Problems(app.Services) is { } problems)
{
    Console.Error.WriteLine($"The portal cannot start, its settings are wrong:{Environment.NewLine}{problems}");
    return 2;
}

if (await CommandLine.RunAsync(app, args) is { } exitCode)
{
    return exitCode;
}

if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.MigrateOnStart)
{
    await app.Services.GetRequiredService<Migrator>().MigrateAsync(CancellationToken.None);
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DemoSeed>().EnsureRolesAsync();
}
else
{
    await app.Services.GetRequiredService<SchemaCheck>().ReloadAsync(CancellationToken.None);
}
await app.Services.GetRequiredService<SchemaCheck>().CheckAsync(CancellationToken.None);

app.UseForwardedHeaders();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseAntiforgery();
app.MapStaticAssets();
// Circuits' WebSockets uncompressed: per-message deflate keeps a zlib stream of about 300 KB for every open circuit
// (native memory, outside the managed heap) and compresses every render batch, and the batches here are a few
// hundred bytes. Turned off in the accept callback rather than by DisableWebSocketCompression, which would also drop
// Blazor's frame-ancestors 'self' policy: the portal is still never shown in another site's frame.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ConfigureWebSocketAcceptContext = (_, accept) =>
{
    accept.DangerousEnableCompression = false;
    return Task.CompletedTask;
});
app.MapAdditionalIdentityEndpoints();
Portal.Web.Features.SipPeers.SipPeerExport.MapSipPeerExport(app);
app.MapReplication();
app.MapPinExport();
Portal.Web.Features.Nodes.NodeDownloads.MapNodeDownloads(app);

await app.RunAsync();
return 0;
