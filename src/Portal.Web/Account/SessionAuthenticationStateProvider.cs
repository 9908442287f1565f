using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Web.Account;

/// <summary>
/// A circuit's sign-in, checked against its server-side session every few seconds, and at once when this process
/// ends the user's sessions. When the session no longer stands the circuit becomes anonymous (the page sends the
/// browser to sign-in) and the identity the page's <see cref="Data.Caller"/> was taken from stops being authenticated,
/// so a command the open tab still calls is refused.
/// </summary>
internal sealed class SessionAuthenticationStateProvider(UserSessions sessions, IOptions<IdentityOptions> identity, ILogger<SessionAuthenticationStateProvider> log)
    : AuthenticationStateProvider, IHostEnvironmentAuthenticationStateProvider, IDisposable
{
    /// <summary>How often a circuit asks: a revocation written by another portal instance reaches it within this.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(3);

    private static readonly Task<AuthenticationState> SignedOut = Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity())));

    private readonly CancellationTokenSource stopping = new();
    private Task<AuthenticationState>? state;
    private SessionIdentity? current;
    private bool watching;

    public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
        state ?? throw new InvalidOperationException($"{nameof(GetAuthenticationStateAsync)} was called before {nameof(SetAuthenticationState)}.");

    public void SetAuthenticationState(Task<AuthenticationState> authenticationStateTask)
    {
        state = WrapAsync(authenticationStateTask);
        NotifyAuthenticationStateChanged(state);
    }

    private async Task<AuthenticationState> WrapAsync(Task<AuthenticationState> task)
    {
        var user = (await task).User;
        if (user.Identity is not ClaimsIdentity { IsAuthenticated: true } signedIn)
        {
            return new AuthenticationState(user);
        }
        current = new SessionIdentity(signedIn);
        var principal = new ClaimsPrincipal(current);
        if (!watching)
        {
            watching = true;
            sessions.Ended += OnEnded;
            _ = WatchAsync(principal, stopping.Token);
        }
        return new AuthenticationState(principal);
    }

    private async Task WatchAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(CheckEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    if (!await sessions.IsLiveAsync(principal, ct))
                    {
                        End();
                        return;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database did not answer: the circuit keeps its state and asks again next time.
                    log.LogWarning(e, "Could not check the session of {User}", principal.Identity?.Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void OnEnded(SessionsEnded ended)
    {
        if (current is { } signedIn
            && signedIn.FindFirst(identity.Value.ClaimsIdentity.UserIdClaimType)?.Value == ended.UserId
            && (ended.SessionId is null || signedIn.FindFirst(UserSessions.SessionClaim)?.Value == ended.SessionId))
        {
            End();
        }
    }

    private void End()
    {
        current?.End();
        stopping.Cancel();
        state = SignedOut;
        NotifyAuthenticationStateChanged(SignedOut);
    }

    public void Dispose()
    {
        sessions.Ended -= OnEnded;
        // Not disposed: an ending announced while the circuit closes may still cancel it.
        stopping.Cancel();
    }

    /// <summary>A signed-in identity that stops being authenticated when its session ends.</summary>
    private sealed class SessionIdentity(ClaimsIdentity signedIn) : ClaimsIdentity(signedIn)
    {
        private volatile bool ended;

        public override bool IsAuthenticated => !ended && base.IsAuthenticated;

        public void End() => ended = true;
    }
}
