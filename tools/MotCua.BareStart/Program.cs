using Azure.Data.Tables;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

// One signed-in read of one table row, configured as MotCua is (the same settings' names), listening
// on the port a Functions host would give a custom handler.
var builder = WebApplication.CreateSlimBuilder(args);
if (builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 } port) builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var key = Convert.FromBase64String(builder.Configuration["Auth:LocalSigningKey"]!);
builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
{
    jwt.MapInboundClaims = false;
    jwt.TokenValidationParameters = new TokenValidationParameters
    {
        ValidIssuer = "motcua-local",
        ValidAudience = "motcua",
        IssuerSigningKey = new SymmetricSecurityKey(key),
    };
});
builder.Services.AddAuthorization();
builder.Services.AddSingleton(_ => new TableServiceClient(builder.Configuration["Storage:ConnectionString"] ?? "UseDevelopmentStorage=true")
    .GetTableClient(builder.Configuration["Storage:Prefix"] + "dossiers"));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGet("/api/dossiers/{code}", async (string code, TableClient dossiers, CancellationToken cancellationToken) =>
{
    var row = await dossiers.GetEntityIfExistsAsync<TableEntity>(code, "dossier", cancellationToken: cancellationToken);
    return row.HasValue ? Results.Json(row.Value!.ToDictionary(p => p.Key, p => p.Value?.ToString())) : Results.NotFound();
}).RequireAuthorization();
app.Run();
