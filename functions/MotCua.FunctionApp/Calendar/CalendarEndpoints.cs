using Microsoft.AspNetCore.Http.HttpResults;
using MotCua.Domain.Dossiers;
using MotCua.Domain.Text;
using MotCua.FunctionApp.Auth;
using MotCua.FunctionApp.Hosting;
using static MotCua.FunctionApp.Problems.Problems;
using MotCua.FunctionApp.OpenApi;
using MotCua.FunctionApp.Problems;

namespace MotCua.FunctionApp.Calendar;

/// <summary>Holidays and make-up working days, per year, as data an admin keeps current.</summary>
public static class CalendarEndpoints
{
    public static IServiceCollection AddCalendar(this IServiceCollection services) => services.AddSingleton<CalendarStore>();

    public static IEndpointRouteBuilder MapCalendar(this IEndpointRouteBuilder app)
    {
        app.MapFunction("GetCalendar", new HttpTrigger("GET", "calendar"), async (CalendarStore store, CancellationToken ct) => TypedResults.Ok(await store.YearsAsync(ct)))
            .WithSummary("Read the working calendar")
            .WithDescription("Every year the calendar defines: its holidays and the weekend days worked instead. Deadlines count working days by it.");
        app.MapFunction("PutCalendarYear", new HttpTrigger("PUT", "calendar/{year}"), PutAsync).RequireAuthorization(AuthRegistration.AdminPolicy)
            .Accepts<CalendarYear>("application/json")
            .ProducesProblems([.. ProblemTypes.JsonBody, ProblemTypes.MalformedRequest, ProblemTypes.InvalidFields])
            .WithSummary("Set a year's calendar")
            .WithDescription("Admins only. Replaces the year's holidays and extra working days; the year in the body must match the path.");
        return app;
    }

    private static async Task<Ok<CalendarYear>> PutAsync(int year, HttpRequest request, CalendarStore store, CancellationToken cancellationToken)
    {
        var form = await JsonBody.ReadRequiredAsync<CalendarYear>(request, JsonBody.CatalogueFormBytes, cancellationToken);
        if (year is < 2000 or > 2100 || form.Year != year) throw BadRequest("year", "Năm từ 2000 đến 2100 và khớp với đường dẫn.", "A year from 2000 to 2100, matching the path.");
        if (form.Holidays is null || form.WorkingDays is null || form.Holidays.Any(h => h is null)
            || form.Holidays.Any(h => h.Date.Year != year || string.IsNullOrWhiteSpace(h.Name)) || form.WorkingDays.Any(d => d.Year != year))
            throw BadRequest("holidays", "Mọi ngày nghỉ và ngày làm bù thuộc năm này; ngày nghỉ có tên.", "Every holiday and make-up day is in this year; holidays have names.");
        FieldError[] unsafeNames = [.. form.Holidays.Select((h, i) => SafeText.Check($"holidays[{i}].name", h.Name)).OfType<FieldError>()];
        if (unsafeNames.Length > 0) throw InvalidFields(unsafeNames);
        await store.SaveAsync(form, cancellationToken);
        return TypedResults.Ok(form);
    }
}
