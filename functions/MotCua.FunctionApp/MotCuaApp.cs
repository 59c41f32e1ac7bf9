using MotCua.FunctionApp.Correspondence.Exchange;
using MotCua.FunctionApp.Correspondence.Incoming;
using MotCua.FunctionApp.Correspondence.Outgoing;
using MotCua.FunctionApp.Correspondence.Incoming.Notifications;
using MotCua.FunctionApp.Correspondence.Outgoing.Notifications;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MotCua.FunctionApp.Approvals;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Calendar;
using MotCua.FunctionApp.Catalog;
using MotCua.FunctionApp.Demo;
using MotCua.FunctionApp.Documents;
using MotCua.FunctionApp.Documents.Processing;
using MotCua.FunctionApp.Documents.Signatures;
using MotCua.FunctionApp.Documents.Text;
using MotCua.FunctionApp.Search;
using MotCua.FunctionApp.Signing;
using MotCua.FunctionApp.Notifications;
using MotCua.FunctionApp.Dossiers;
using MotCua.FunctionApp.Issuance;
using MotCua.FunctionApp.Forms;
using MotCua.FunctionApp.Health;
using MotCua.FunctionApp.Hosting;
using MotCua.FunctionApp.Lookup;
using MotCua.FunctionApp.Observability;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Outbox;
using MotCua.FunctionApp.PublicPages;
using MotCua.FunctionApp.Problems;
using MotCua.FunctionApp.Statistics;
using MotCua.FunctionApp.Storage;
using MotCua.FunctionApp.Worklist;
using OpenTelemetry.Trace;

namespace MotCua.FunctionApp;

/// <summary>Builds the one app that runs under the Functions host or on its own.</summary>
public static class MotCuaApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var mode = HostingOptions.Resolve(builder.Configuration);
        if (builder.Configuration["FUNCTIONS_CUSTOMHANDLER_PORT"] is { Length: > 0 } port)
        {
            // The Functions host talks to us on this loopback port only.
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        }
        // Responses do not name the server software.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        // Vietnamese stays readable in responses instead of \u-escaped (JSON, never embedded in HTML).
        // Numbers are JSON numbers only, as the API description says: no "42" for 42 (the web defaults accept both).
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = LocalizedStatusProblems.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Unreadable bodies reach the one problem mapper in every environment, not a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddApiDescription();
        services.AddMotCuaAuth();
        services.AddMotCuaStorage(builder.Configuration);
        // After storage: its initializer creates the queues before the standalone pumps start.
        services.AddFunctionHosting(mode);
        services.AddOpenTelemetry().WithTracing(tracing =>
        {
            tracing.AddSource(Telemetry.SourceName).AddAspNetCoreInstrumentation();
            if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) tracing.AddOtlpExporter();
        });

        services.AddCatalog();
        services.AddDossiers();
        services.AddForms();
        services.AddStatistics();
        services.AddCalendar();
        services.AddSigningServices(builder.Configuration);
        services.AddIssuance();
        services.AddDeviceKeys();
        services.AddDocuments();
        services.AddDocumentProcessing();
        services.AddSearch();
        services.AddOutbox();
        services.AddNotifications();
        services.AddWorklists();
        services.AddPublicLookup();
        services.AddIncomingCorrespondence();
        services.AddIncomingNotifications();
        services.AddIncomingReports();
        services.AddOutgoingCorrespondence();
        services.AddOutgoingNotifications();
        services.AddOutgoingReports();
        services.AddDocumentExchange();
        services.AddSingleton<DemoData>();

        var app = builder.Build();
        if (!app.Services.GetRequiredService<FcmSender>().Enabled) PushLog.Off(app.Services.GetRequiredService<ILogger<FcmSender>>());
        app.UseResponseHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        // Officials become known to their unit's notifications by using the app: best effort, never at the request's expense.
        app.Use(async (context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                try
                {
                    await context.RequestServices.GetRequiredService<MemberDirectory>().RecordAsync(CurrentUser.From(context.User), context.RequestAborted);
                }
                catch (Exception e) when (e is Azure.RequestFailedException or InvalidOperationException)
                {
                    PushLog.MemberNotRecorded(context.RequestServices.GetRequiredService<ILogger<MemberDirectory>>(), e);
                }
            }
            await next(context);
        });
        app.UseRateLimiter();
        app.MapOpenApi().AllowAnonymous();
        app.MapDossiers();
        app.MapIssuance();
        app.MapDocuments();
        app.MapNotifications();
        app.MapHistoryVerification();
        app.MapPublicLookup();
        app.MapPublicCatalog();
        app.MapPublicPages();
        app.MapDeviceKeys();
        app.MapCatalog();
        app.MapCalendar();
        app.MapWorklists();
        app.MapForms();
        app.MapStatistics();
        app.MapIncomingCorrespondence();
        app.MapIncomingReports();
        app.MapOutgoingCorrespondence();
        app.MapOutgoingReports();
        app.MapDeadLetters();
        app.MapHealth();
        if (mode == HostingMode.CustomHandler) app.MapCustomHandlerInvocations();
        EndpointsBuiltOnce.Wrap(app);
        HostingLog.Started(app.Logger, mode, app.Services.GetRequiredService<FunctionRegistry>().All.Count);
        return app;
    }
}

/// <summary>Titles for the problems the framework itself raises (401, 403, 404, 405), in the caller's language.</summary>
internal static class LocalizedStatusProblems
{
    public static void Customize(ProblemDetailsContext context)
    {
        if (context.Exception is not null && context.Exception is not BadHttpRequestException) return;
        var english = ProblemExceptionHandler.PrefersEnglish(context.HttpContext.Request);
        (string Vi, string En)? title = context.ProblemDetails.Status switch
        {
            401 => ("Chưa đăng nhập hoặc mã truy cập không hợp lệ", "Not signed in, or the access token is not valid"),
            403 => ("Không có quyền", "Forbidden"),
            404 => ("Không tìm thấy", "Not found"),
            405 => ("Phương thức không được hỗ trợ", "Method not allowed"),
            415 => ("Kiểu nội dung không được hỗ trợ", "Unsupported media type"),
            _ => null,
        };
        if (title is { } t) context.ProblemDetails.Title = english ? t.En : t.Vi;
        if (context.ProblemDetails.Status == 415) context.ProblemDetails.Type = Problems.Problems.UnsupportedMediaTypeType;
        context.HttpContext.Response.Headers.ContentLanguage = english ? "en" : "vi";
    }
}
