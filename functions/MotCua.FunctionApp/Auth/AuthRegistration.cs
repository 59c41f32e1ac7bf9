using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MotCua.FunctionApp.Auth;

public static class AuthRegistration
{
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddMotCuaAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new LocalTokens(sp.GetRequiredService<IOptions<AuthOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>, TimeProvider>((jwt, auth, time) =>
        {
            var options = auth.Value;
            var skew = TimeSpan.FromMinutes(1);
            jwt.MapInboundClaims = false;
            // A refused token is told so, not why (expired, unknown key): the reason is for the logs.
            jwt.IncludeErrorDetails = false;
            // Every rule keys on the subject: a token without one identifies nobody.
            jwt.Events = new JwtBearerEvents
            {
                OnTokenValidated = context =>
                {
                    if (string.IsNullOrEmpty(context.Principal?.FindFirst(MotCuaClaims.Subject)?.Value)) context.Fail("The token has no subject.");
                    return Task.CompletedTask;
                },
            };
            jwt.Authority = string.IsNullOrEmpty(options.Authority) ? null : options.Authority;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Authority ?? options.Issuer,
                ValidAudience = options.Audience,
                NameClaimType = MotCuaClaims.Name,
                RoleClaimType = MotCuaClaims.Role,
                IssuerSigningKey = options.LocalKeyBytes() is { } key ? new SymmetricSecurityKey(key) : null,
                RequireExpirationTime = true,
                // Token lifetimes follow the app's clock, like every other expiry. This validator replaces the
                // library's, RequireExpirationTime included: a token without an expiry is refused here.
                LifetimeValidator = (notBefore, expires, _, _) =>
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    return (notBefore is null || notBefore.Value <= now + skew) && expires is not null && expires.Value > now - skew;
                },
            };
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin));
        return services;
    }
}
