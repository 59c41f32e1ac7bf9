using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MotCua.FunctionApp.Auth;

/// <summary>Signs tokens for local users (demo data, tests, benchmarks) with the local key.</summary>
public sealed class LocalTokens(AuthOptions options, TimeProvider time)
{
    public string Issue(CurrentUser user, TimeSpan lifetime)
    {
        var key = options.LocalKeyBytes() ?? throw new InvalidOperationException("Local tokens need Auth:LocalSigningKey.");
        var claims = new List<Claim>
        {
            new(MotCuaClaims.Subject, user.Id),
            new(MotCuaClaims.Name, user.Name),
        };
        claims.AddRange(user.AllRoles.Select(role => new Claim(MotCuaClaims.Role, role)));
        if (user.Unit is not null) claims.Add(new(MotCuaClaims.Unit, user.Unit));
        var now = time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
